//! Sending requests: the [`HttpClient`] trait that any HTTP client can implement, the
//! per-attempt [`Timeouts`], [`TransportError`], a runtime-free [`with_timeout`], the
//! [`ReplayClient`] test double and (feature `reqwest`) `ReqwestClient`.
//!
//! The generated crates are sans-IO: an operation's `serialize_request` produces an
//! `http::Request<Vec<u8>>` and its `parse_response` reads an `http::Response<B>` with
//! `B: AsRef<[u8]>`. An [`HttpClient`] sits between the two, so bringing a different HTTP
//! stack means implementing one method:
//!
//! ```
//! use botogen_runtime::transport::{BoxFuture, HttpClient, Timeouts, TransportError};
//!
//! #[derive(Debug)]
//! struct Teapot;
//!
//! impl HttpClient for Teapot {
//!     fn send(
//!         &self,
//!         _request: http::Request<Vec<u8>>,
//!         _timeouts: &Timeouts,
//!     ) -> BoxFuture<'_, Result<http::Response<bytes::Bytes>, TransportError>> {
//!         Box::pin(async {
//!             http::Response::builder()
//!                 .status(418)
//!                 .body(bytes::Bytes::new())
//!                 .map_err(|e| TransportError::other("bad response").with_source(e))
//!         })
//!     }
//! }
//! ```
//!
//! Errors carry a [`TransportErrorKind`]: connection failures, timeouts and I/O errors are
//! transient ([`TransportError::is_transient`]) and worth retrying; anything else is not.

mod error;
mod replay;
#[cfg(feature = "reqwest")]
mod reqwest_client;
mod timer;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use error::{TransportError, TransportErrorKind};

#[cfg(feature = "client")]
use crate::ByteStream;
pub use replay::ReplayClient;
#[cfg(feature = "reqwest")]
pub use reqwest_client::ReqwestClient;
pub use timer::with_timeout;

/// A boxed, `Send` future: what [`HttpClient::send`] returns, so the trait stays
/// object-safe (`Arc<dyn HttpClient>`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and reads the whole response.
///
/// One call is one attempt: retries, signing and endpoint resolution happen above this
/// trait. Implementations should honour [`Timeouts`] as well as their HTTP stack allows and
/// report failures with the matching [`TransportErrorKind`] so retry logic can tell
/// transient failures from permanent ones. An HTTP error status (4xx, 5xx) is a response,
/// not a [`TransportError`].
pub trait HttpClient: Send + Sync + std::fmt::Debug {
    /// Sends `request` and returns the response with its body read in full.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<bytes::Bytes>, TransportError>>;

    /// Sends `request`, whose body is a [`ByteStream`], and returns the response as soon as
    /// its head (status and headers) is in, its body a [`ByteStream`] read as the caller
    /// reads it: what operations with a streaming payload use.
    ///
    /// [`Timeouts::read`] applies until the response head is received, not to reading the
    /// body afterwards (a long download must not be cut off by it). The default
    /// implementation reads the request body into memory, calls [`send`](Self::send) (so
    /// the response body is read whole, within the read timeout) and wraps the response body;
    /// clients able to stream (such as `ReqwestClient`) override it.
    #[cfg(feature = "client")]
    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        let timeouts = *timeouts;
        Box::pin(async move {
            let request = collect_request(request).await?;
            let response = self.send(request, &timeouts).await?;
            Ok(response.map(ByteStream::from))
        })
    }
}

/// `request` with its body read into memory.
#[cfg(feature = "client")]
pub(crate) async fn collect_request(
    request: http::Request<ByteStream>,
) -> Result<http::Request<Vec<u8>>, TransportError> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| TransportError::other("cannot read the request body").with_source(e))?;
    Ok(http::Request::from_parts(parts, Vec::from(body)))
}

impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<bytes::Bytes>, TransportError>> {
        (**self).send(request, timeouts)
    }

    #[cfg(feature = "client")]
    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        (**self).send_streaming(request, timeouts)
    }
}

impl<T: HttpClient + ?Sized> HttpClient for Box<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<bytes::Bytes>, TransportError>> {
        (**self).send(request, timeouts)
    }

    #[cfg(feature = "client")]
    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        (**self).send_streaming(request, timeouts)
    }
}

/// Time limits for one attempt; `None` means no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Timeouts {
    /// How long establishing a connection (TCP and TLS) may take.
    pub connect: Option<Duration>,
    /// How long one attempt may take from sending the request to having read the whole
    /// response body; for a streaming response (an operation whose output payload is a
    /// stream), until the response head is received.
    pub read: Option<Duration>,
}

impl Timeouts {
    /// No limits.
    pub const NONE: Timeouts = Timeouts {
        connect: None,
        read: None,
    };

    /// These timeouts with the connect timeout set to `connect`.
    #[must_use]
    pub const fn with_connect(mut self, connect: Option<Duration>) -> Self {
        self.connect = connect;
        self
    }

    /// These timeouts with the per-attempt read timeout set to `read`.
    #[must_use]
    pub const fn with_read(mut self, read: Option<Duration>) -> Self {
        self.read = read;
        self
    }
}
