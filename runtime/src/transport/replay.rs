//! [`ReplayClient`]: an [`HttpClient`] that answers from a script, for tests.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;

use super::timer::{sleep, with_timeout};
use super::{BoxFuture, HttpClient, Timeouts, TransportError};
use crate::ByteStream;

type Responder =
    dyn Fn(&http::Request<Vec<u8>>) -> Result<http::Response<Bytes>, TransportError> + Send + Sync;

/// An [`HttpClient`] for tests: answers with canned responses (or a closure), records every
/// request, and can delay or fail chosen calls.
///
/// Calls are numbered from 0 in the order [`send`](HttpClient::send) is called. A call with
/// an injected error ([`with_error`](Self::with_error)) fails with it and does not use up a
/// canned response, so `ReplayClient::new([ok]).with_error(0, e)` fails once and then
/// answers `ok`. A call with an injected delay ([`with_delay`](Self::with_delay)) waits that
/// long before answering (without blocking the executor); if the delay exceeds the call's
/// [`Timeouts::read`], the call fails with a timeout error instead, as a slow server would.
/// When the canned responses run out, calls fail with a [`TransportErrorKind::Other`] error
/// saying so.
///
/// Safe to share between threads; wrap it in an `Arc` to keep a handle for inspecting
/// [`requests`](Self::requests) after handing it to a client.
///
/// ```
/// use botogen_runtime::transport::{ReplayClient, TransportError};
///
/// let client = ReplayClient::new([http::Response::new("{}")])
///     .with_error(0, TransportError::connect("connection refused"));
/// assert_eq!(client.remaining(), 1);
/// ```
///
/// [`TransportErrorKind::Other`]: super::TransportErrorKind::Other
pub struct ReplayClient {
    source: Source,
    state: Mutex<State>,
}

enum Source {
    Canned { given: usize },
    Closure(Box<Responder>),
}

#[derive(Default)]
struct State {
    calls: usize,
    requests: Vec<http::Request<Vec<u8>>>,
    timeouts: Vec<Timeouts>,
    responses: VecDeque<http::Response<Bytes>>,
    errors: HashMap<usize, TransportError>,
    delays: HashMap<usize, Duration>,
    body_streams: HashMap<usize, ByteStream>,
}

impl ReplayClient {
    /// A client that answers calls with `responses`, in order.
    ///
    /// Any body type that converts into [`Bytes`] works: `&'static str`, `String`,
    /// `Vec<u8>`, `&'static [u8]`, `Bytes`.
    pub fn new<I, B>(responses: I) -> Self
    where
        I: IntoIterator<Item = http::Response<B>>,
        B: Into<Bytes>,
    {
        let responses: VecDeque<_> = responses
            .into_iter()
            .map(|response| response.map(Into::into))
            .collect();
        ReplayClient {
            source: Source::Canned {
                given: responses.len(),
            },
            state: Mutex::new(State {
                responses,
                ..State::default()
            }),
        }
    }

    /// A client that answers every call (except those with an injected error) with what
    /// `respond` returns for its request.
    pub fn from_fn<F>(respond: F) -> Self
    where
        F: Fn(&http::Request<Vec<u8>>) -> Result<http::Response<Bytes>, TransportError>
            + Send
            + Sync
            + 'static,
    {
        ReplayClient {
            source: Source::Closure(Box::new(respond)),
            state: Mutex::new(State::default()),
        }
    }

    /// This client with call number `call` (from 0) failing with `error`.
    #[must_use]
    pub fn with_error(self, call: usize, error: TransportError) -> Self {
        self.lock().errors.insert(call, error);
        self
    }

    /// This client with call number `call` (from 0) answered only after `delay`.
    #[must_use]
    pub fn with_delay(self, call: usize, delay: Duration) -> Self {
        self.lock().delays.insert(call, delay);
        self
    }

    /// This client with the response to call number `call` (from 0) carrying `body` in
    /// place of its own, when the call goes through
    /// [`send_streaming`](HttpClient::send_streaming) (the streaming-payload operations);
    /// [`send`](HttpClient::send) ignores it. A stream made with `ByteStream::from_stream`
    /// reaches the caller chunk by chunk, as it is produced.
    #[must_use]
    pub fn with_body_stream(self, call: usize, body: ByteStream) -> Self {
        self.lock().body_streams.insert(call, body);
        self
    }

    /// Copies of the requests received so far, in order (including those answered with an
    /// injected error). Extensions are not copied (`http::Extensions` cannot be cloned).
    pub fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.lock().requests.iter().map(copy_request).collect()
    }

    /// The timeouts each call so far was made with, in order.
    pub fn timeouts(&self) -> Vec<Timeouts> {
        self.lock().timeouts.clone()
    }

    /// How many calls have been made.
    pub fn calls(&self) -> usize {
        self.lock().calls
    }

    /// How many canned responses are left (0 for a client made with [`from_fn`](Self::from_fn)).
    pub fn remaining(&self) -> usize {
        self.lock().responses.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the call and decides its answer; the delay is applied by the caller.
    fn answer(&self, request: http::Request<Vec<u8>>, timeouts: Timeouts) -> Answer {
        let mut state = self.lock();
        let call = state.calls;
        state.calls = call.saturating_add(1);
        state.timeouts.push(timeouts);
        let delay = state.delays.remove(&call);
        let body = state.body_streams.remove(&call);
        let outcome = if let Some(error) = state.errors.remove(&call) {
            Err(error)
        } else {
            match &self.source {
                Source::Canned { given } => state.responses.pop_front().ok_or_else(|| {
                    TransportError::other(format!(
                        "ReplayClient has no response left for call {call} \
                         (it was given {given} response(s))"
                    ))
                }),
                Source::Closure(respond) => {
                    // Not under the lock, so the closure may inspect this client.
                    drop(state);
                    let outcome = respond(&request);
                    state = self.lock();
                    outcome
                }
            }
        };
        state.requests.push(request);
        Answer {
            delay,
            outcome,
            body,
        }
    }
}

/// What a call gets: after an optional delay, a response (whose body `body` replaces, for
/// streaming sends) or an error.
struct Answer {
    delay: Option<Duration>,
    outcome: Result<http::Response<Bytes>, TransportError>,
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    body: Option<ByteStream>,
}

impl HttpClient for ReplayClient {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let timeouts = *timeouts;
        let Answer { delay, outcome, .. } = self.answer(request, timeouts);
        Box::pin(async move {
            if let Some(delay) = delay {
                with_timeout(timeouts.read, sleep(delay)).await??;
            }
            outcome
        })
    }

    /// Records the request with its body read whole, then answers as [`send`](Self::send)
    /// does (a delay counts against the read timeout, as the wait for a response head), with
    /// the body given by [`with_body_stream`](ReplayClient::with_body_stream) if any.
    #[cfg(feature = "client")]
    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
        timeouts: &Timeouts,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        let timeouts = *timeouts;
        Box::pin(async move {
            let request = super::collect_request(request).await?;
            let Answer {
                delay,
                outcome,
                body,
            } = self.answer(request, timeouts);
            if let Some(delay) = delay {
                with_timeout(timeouts.read, sleep(delay)).await??;
            }
            let response = outcome?;
            Ok(match body {
                Some(body) => response.map(|_| body),
                None => response.map(ByteStream::from),
            })
        })
    }
}

impl fmt::Debug for ReplayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        let source = match &self.source {
            Source::Canned { .. } => "canned responses",
            Source::Closure(_) => "closure",
        };
        f.debug_struct("ReplayClient")
            .field("source", &source)
            .field("calls", &state.calls)
            .field("remaining", &state.responses.len())
            .finish_non_exhaustive()
    }
}

fn copy_request(request: &http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}
