//! [`ReqwestClient`]: an [`HttpClient`] on `reqwest` (feature `reqwest`).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::{BoxFuture, HttpClient, Timeouts, TransportError, TransportErrorKind, with_timeout};
use crate::ByteStream;
use crate::byte_stream::ByteStreamError;

/// An [`HttpClient`] on a [`reqwest::Client`]: HTTP/1.1, TLS by rustls with the `ring`
/// provider, certificates checked by the platform verifier (the system's trust store).
///
/// Its futures need a Tokio runtime with I/O and time enabled, as `reqwest` does.
/// [`Timeouts::read`] is applied to each request (the whole attempt, body included; for
/// [`send_streaming`](HttpClient::send_streaming), until the response head is in: the body
/// stream then has no deadline, and a request body that is a stream is sent as it is read);
/// [`Timeouts::connect`] cannot change per request with `reqwest`, so the connect timeout
/// is the one given at construction and the per-request value is ignored. Redirects are not
/// followed: a signed AWS request must not be replayed elsewhere, and the caller sees the
/// 3xx response.
#[derive(Debug, Clone)]
pub struct ReqwestClient {
    client: reqwest::Client,
}

impl ReqwestClient {
    /// A client with `connect_timeout` for establishing connections.
    pub fn new(connect_timeout: Option<Duration>) -> Result<Self, TransportError> {
        let mut builder = Self::client_builder()?;
        if let Some(timeout) = connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        let client = builder
            .build()
            .map_err(|e| TransportError::other("cannot build the reqwest client").with_source(e))?;
        Ok(ReqwestClient { client })
    }

    /// Wraps a `reqwest::Client` configured by the caller (proxies, pools, TLS). Build it
    /// from [`client_builder`](Self::client_builder) to keep this crate's TLS setup.
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestClient { client }
    }

    /// A `reqwest::ClientBuilder` with this crate's setup: rustls with the `ring`
    /// provider and the platform verifier, and no redirects.
    pub fn client_builder() -> Result<reqwest::ClientBuilder, TransportError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier =
            rustls_platform_verifier::Verifier::new(Arc::clone(&provider)).map_err(|e| {
                TransportError::other("cannot set up TLS certificate verification").with_source(e)
            })?;
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TransportError::other("cannot set up TLS").with_source(e))?
            .dangerous() // A custom verifier: the platform's, not a disabled one.
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none()))
    }

    /// The wrapped `reqwest::Client`.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl HttpClient for ReqwestClient {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let read_timeout = timeouts.read;
        Box::pin(async move {
            let mut request = reqwest::Request::try_from(request).map_err(map_error)?;
            *request.timeout_mut() = read_timeout;
            let mut response = self.client.execute(request).await.map_err(map_error)?;
            let status = response.status();
            let version = response.version();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(map_error)?;
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }

    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        let read_timeout = timeouts.read;
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = match body.into_bytes() {
                Ok(bytes) => reqwest::Body::from(bytes),
                Err(stream) => reqwest::Body::wrap(RequestBody(stream)),
            };
            let request = reqwest::Request::try_from(http::Request::from_parts(parts, body))
                .map_err(map_error)?;
            // No `timeout_mut`: reqwest's per-request timeout would cover the body as well.
            let mut response = with_timeout(read_timeout, self.client.execute(request))
                .await?
                .map_err(map_error)?;
            let status = response.status();
            let version = response.version();
            let headers = std::mem::take(response.headers_mut());
            let length = response.content_length();
            let body = ResponseBody {
                response: Some(response),
                pending: None,
            };
            let mut out = http::Response::new(ByteStream::from_boxed(Box::pin(body), length));
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

/// A [`ByteStream`] as a request body for `reqwest`.
struct RequestBody(ByteStream);

impl http_body::Body for RequestBody {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, ByteStreamError>>> {
        use futures_core::Stream;
        std::pin::Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.0.content_length().map_or_else(
            http_body::SizeHint::default,
            http_body::SizeHint::with_exact,
        )
    }
}

type Chunk = (reqwest::Response, Result<Option<Bytes>, reqwest::Error>);

/// A `reqwest` response body as a stream of chunks (`Response::chunk`, which needs no
/// `stream` feature): the response moves into each chunk's future and back out.
struct ResponseBody {
    response: Option<reqwest::Response>,
    pending: Option<BoxFuture<'static, Chunk>>,
}

impl futures_core::Stream for ResponseBody {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let pending = match &mut self.pending {
            Some(pending) => pending,
            None => {
                let Some(mut response) = self.response.take() else {
                    return Poll::Ready(None);
                };
                self.pending.insert(Box::pin(async move {
                    let chunk = response.chunk().await;
                    (response, chunk)
                }))
            }
        };
        let Poll::Ready((response, chunk)) = pending.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        self.pending = None;
        Poll::Ready(match chunk {
            Ok(Some(bytes)) => {
                self.response = Some(response);
                Some(Ok(bytes))
            }
            Ok(None) => None,
            Err(e) => Some(Err(ByteStreamError::new(map_error(e)))),
        })
    }
}

/// Maps a `reqwest` error to a kind. A connect timeout is a `Connect` error: the request
/// was never sent, which is what retry logic needs to know.
fn map_error(error: reqwest::Error) -> TransportError {
    let (kind, message) = if error.is_connect() {
        (TransportErrorKind::Connect, "cannot connect")
    } else if error.is_timeout() {
        (
            TransportErrorKind::Timeout,
            "no response within the read timeout",
        )
    } else if error.is_request() || error.is_body() {
        (
            TransportErrorKind::Io,
            "connection failed during the request",
        )
    } else if error.is_builder() {
        (TransportErrorKind::Other, "the request cannot be sent")
    } else {
        (TransportErrorKind::Other, "the request failed")
    };
    TransportError::new(kind, message).with_source(error)
}
