//! Waiters: an operation polled until its result says a resource reached a state, as the
//! Smithy waiters specification defines them.
//!
//! A generated waiter supplies the poll (one call of its operation) and its *acceptors*, in
//! the model's order. After each poll the first acceptor whose [`Matcher`] matches decides:
//!
//! - [`AcceptorState::Success`]: waiting ends with the poll's result ([`Success`]);
//! - [`AcceptorState::Failure`]: waiting ends with [`WaiterError::Failure`];
//! - [`AcceptorState::Retry`]: poll again after a delay.
//!
//! With no acceptor matching, a successful poll is retried and a failed one ends waiting with
//! [`WaiterError::Operation`], holding the error.
//!
//! **Delays.** Attempt `n` (from 1) is followed by a delay drawn uniformly between the
//! minimum delay and `min(max_delay, min_delay × 2^(n − 1))`. The whole wait is bounded by the
//! caller's maximum wait time: when less than the minimum delay is left, waiting ends with
//! [`WaiterError::Exceeded`]; a delay that would leave less than the minimum delay is
//! shortened so that one last poll happens with the minimum delay still to spare. A poll in
//! flight is not cut short (the client's call timeout bounds it).
//!
//! No async runtime is needed: delays wait on a helper thread, as
//! [`with_timeout`] does.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::client::InvokeError;
use crate::error::OperationError;
use crate::retry::{Jitter, XorShiftJitter};
use crate::transport::{TransportError, with_timeout};

/// The default maximum delay between polls (120 s), as the Smithy specification suggests.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(120);

/// A successful response of a poll: the HTTP status and the parsed output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response<O> {
    /// HTTP status of the response.
    pub status: u16,
    /// The parsed output.
    pub output: O,
}

/// What one poll produced.
pub type Polled<O, E> = Result<Response<O>, InvokeError<E>>;

/// What a matching acceptor does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AcceptorState {
    /// Waiting ends successfully.
    Success,
    /// Waiting ends with [`WaiterError::Failure`].
    Failure,
    /// The operation is polled again.
    Retry,
}

/// What an acceptor looks at.
pub enum Matcher<O> {
    /// A successful poll whose output satisfies the predicate (the model's `path`,
    /// `pathAll` and `pathAny` matchers, compiled by the generator).
    Output(fn(&O) -> bool),
    /// A response with this HTTP status, successful or not.
    Status(u16),
    /// An error from the service with this code, modelled or not.
    ErrorCode(&'static str),
    /// Any error from the service (one with an error code).
    AnyError,
    /// Any successful poll.
    NoError,
}

impl<O> Clone for Matcher<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for Matcher<O> {}

impl<O> fmt::Debug for Matcher<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Output(_) => f.write_str("Output(..)"),
            Matcher::Status(status) => f.debug_tuple("Status").field(status).finish(),
            Matcher::ErrorCode(code) => f.debug_tuple("ErrorCode").field(code).finish(),
            Matcher::AnyError => f.write_str("AnyError"),
            Matcher::NoError => f.write_str("NoError"),
        }
    }
}

impl<O> Matcher<O> {
    /// Whether the matcher matches `polled`.
    pub fn matches<E: OperationError>(&self, polled: &Polled<O, E>) -> bool {
        match (self, polled) {
            (Matcher::Output(predicate), Ok(response)) => predicate(&response.output),
            (Matcher::Status(status), Ok(response)) => response.status == *status,
            (Matcher::Status(status), Err(e)) => {
                e.service_error().and_then(E::http_status) == Some(*status)
            }
            (Matcher::ErrorCode(code), Err(e)) => {
                e.service_error().and_then(E::error_code) == Some(*code)
            }
            (Matcher::AnyError, Err(e)) => e.service_error().and_then(E::error_code).is_some(),
            (Matcher::NoError, Ok(_)) => true,
            _ => false,
        }
    }
}

/// One acceptor of a waiter.
pub struct Acceptor<O> {
    /// What a match does.
    pub state: AcceptorState,
    /// The acceptor as the model states it, for error messages (such as
    /// ``path `status` == "FAILED"``).
    pub description: &'static str,
    /// What is matched.
    pub matcher: Matcher<O>,
}

impl<O> Clone for Acceptor<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for Acceptor<O> {}

impl<O> fmt::Debug for Acceptor<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acceptor")
            .field("state", &self.state)
            .field("description", &self.description)
            .field("matcher", &self.matcher)
            .finish()
    }
}

impl<O> Acceptor<O> {
    /// An acceptor.
    pub const fn new(state: AcceptorState, description: &'static str, matcher: Matcher<O>) -> Self {
        Self {
            state,
            description,
            matcher,
        }
    }
}

/// The poll that ended a wait successfully: an output, or an error a success acceptor
/// expected (a resource that no longer exists, say).
#[derive(Debug)]
pub struct Success<O, E> {
    /// The poll's result.
    pub result: Result<O, InvokeError<E>>,
    /// How many polls were made.
    pub attempts: u32,
}

impl<O, E> Success<O, E> {
    /// The output, for waiters whose success acceptors match outputs only; an error that
    /// ended the wait becomes [`WaiterError::Operation`].
    ///
    /// # Errors
    ///
    /// The error that matched a success acceptor.
    pub fn into_output(self) -> Result<O, WaiterError<E>> {
        self.result.map_err(|error| WaiterError::Operation {
            error,
            attempts: self.attempts,
        })
    }

    /// The output, if the wait ended on one.
    pub fn output(self) -> Option<O> {
        self.result.ok()
    }
}

/// Why a wait did not end in success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<E> {
    /// A failure acceptor matched: the resource will not reach the wanted state.
    Failure {
        /// The acceptor that matched, as the model states it.
        acceptor: &'static str,
        /// The error of the poll that matched, if it was an error.
        error: Option<InvokeError<E>>,
        /// How many polls were made.
        attempts: u32,
    },
    /// A poll failed with an error no acceptor matched.
    Operation {
        /// The poll's error.
        error: InvokeError<E>,
        /// How many polls were made.
        attempts: u32,
    },
    /// The maximum wait time passed before an acceptor ended the wait.
    Exceeded {
        /// The maximum wait time.
        max_wait: Duration,
        /// How many polls were made.
        attempts: u32,
    },
    /// A delay could not be waited (the timer thread could not be started).
    Timer(TransportError),
}

impl<E> WaiterError<E> {
    /// The operation's error, if a poll's error ended the wait.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            WaiterError::Failure { error, .. } => error.as_ref().and_then(|e| e.service_error()),
            WaiterError::Operation { error, .. } => error.service_error(),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for WaiterError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure {
                acceptor, attempts, ..
            } => write!(
                f,
                "the waiter reached a failure state after {attempts} poll(s): {acceptor}"
            ),
            WaiterError::Operation { error, attempts } => {
                write!(f, "poll {attempts} failed: {error}")
            }
            WaiterError::Exceeded { max_wait, attempts } => write!(
                f,
                "the waiter gave up after {attempts} poll(s): the maximum wait of {max_wait:?} passed"
            ),
            WaiterError::Timer(e) => write!(f, "cannot wait between polls: {e}"),
        }
    }
}

impl<E: Error + 'static> Error for WaiterError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            WaiterError::Failure { error, .. } => error.as_ref().map(|e| e as _),
            WaiterError::Operation { error, .. } => Some(error),
            WaiterError::Timer(e) => Some(e),
            WaiterError::Exceeded { .. } => None,
        }
    }
}

/// The timing of a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delays {
    /// The shortest delay between polls (the model's `delay`).
    pub min_delay: Duration,
    /// The longest delay between polls; a value below `min_delay` counts as `min_delay`.
    pub max_delay: Duration,
    /// How long the whole wait may take.
    pub max_wait: Duration,
}

impl Delays {
    /// The delay after attempt `attempt` (from 1) with `remaining` time left, for a `jitter`
    /// fraction in `[0, 1]`; `None` when too little time is left for another poll.
    pub fn delay(&self, attempt: u32, remaining: Duration, jitter: f64) -> Option<Duration> {
        let min = self.min_delay;
        if remaining.is_zero() || remaining < min {
            return None;
        }
        let max = self.max_delay.max(min);
        let ceiling = 2u32
            .checked_pow(attempt.saturating_sub(1))
            .and_then(|factor| min.checked_mul(factor))
            .map_or(max, |d| d.min(max));
        let jitter = if jitter.is_nan() {
            1.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let mut delay = min + (ceiling - min).mul_f64(jitter);
        if remaining.saturating_sub(delay) <= min {
            delay = remaining - min;
        }
        Some(delay)
    }
}

/// Polls with `poll` until an acceptor ends the wait, as the module documentation
/// describes; `acceptors` are the waiter's, in the model's order.
///
/// # Errors
///
/// See [`WaiterError`]: a failure acceptor matched, an error no acceptor matched, or the
/// maximum wait passed.
pub async fn wait<O, E, F, Fut>(
    delays: Delays,
    acceptors: &[Acceptor<O>],
    poll: F,
) -> Result<Success<O, E>, WaiterError<E>>
where
    E: OperationError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Polled<O, E>>,
{
    wait_with_jitter(delays, acceptors, poll, &XorShiftJitter::from_time()).await
}

/// [`wait`] with the delays' jitter taken from `jitter` (a
/// [`FixedJitter`](crate::retry::FixedJitter) in tests).
///
/// # Errors
///
/// As [`wait`].
pub async fn wait_with_jitter<O, E, F, Fut>(
    delays: Delays,
    acceptors: &[Acceptor<O>],
    mut poll: F,
    jitter: &dyn Jitter,
) -> Result<Success<O, E>, WaiterError<E>>
where
    E: OperationError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Polled<O, E>>,
{
    let start = Instant::now();
    let mut attempts: u32 = 0;
    loop {
        attempts = attempts.saturating_add(1);
        let polled = poll().await;
        let state = acceptors
            .iter()
            .find(|acceptor| acceptor.matcher.matches(&polled))
            .map(|acceptor| (acceptor.state, acceptor.description));
        match (state, polled) {
            (Some((AcceptorState::Success, _)), polled) => {
                return Ok(Success {
                    result: polled.map(|response| response.output),
                    attempts,
                });
            }
            (Some((AcceptorState::Failure, acceptor)), polled) => {
                return Err(WaiterError::Failure {
                    acceptor,
                    error: polled.err(),
                    attempts,
                });
            }
            (None, Err(error)) => return Err(WaiterError::Operation { error, attempts }),
            (Some((AcceptorState::Retry, _)), _) | (None, Ok(_)) => {}
        }
        let remaining = delays.max_wait.saturating_sub(start.elapsed());
        let Some(delay) = delays.delay(attempts, remaining, jitter.next_fraction()) else {
            return Err(WaiterError::Exceeded {
                max_wait: delays.max_wait,
                attempts,
            });
        };
        sleep(delay).await.map_err(WaiterError::Timer)?;
    }
}

/// JMESPath `a && b` on booleans (`None` is `null`): `a` unless it is `true`, else `b`.
pub fn and(a: Option<bool>, b: impl FnOnce() -> Option<bool>) -> Option<bool> {
    match a {
        Some(true) => b(),
        other => other,
    }
}

/// JMESPath `a || b` on booleans (`None` is `null`): `a` if it is `true`, else `b`.
pub fn or(a: Option<bool>, b: impl FnOnce() -> Option<bool>) -> Option<bool> {
    match a {
        Some(true) => Some(true),
        _ => b(),
    }
}

/// `pathAll`: whether the list is present, not empty, and every element passes `test`.
pub fn all<I: Iterator>(items: Option<I>, mut test: impl FnMut(I::Item) -> bool) -> bool {
    let Some(items) = items else {
        return false;
    };
    let mut seen = false;
    for item in items {
        if !test(item) {
            return false;
        }
        seen = true;
    }
    seen
}

/// `pathAny`: whether the list is present and some element passes `test`.
pub fn any<I: Iterator>(items: Option<I>, test: impl FnMut(I::Item) -> bool) -> bool {
    items.is_some_and(|mut items| items.any(test))
}

/// Waits `duration` without blocking the executor.
async fn sleep(duration: Duration) -> Result<(), TransportError> {
    if duration.is_zero() {
        return Ok(());
    }
    match with_timeout(Some(duration), std::future::pending::<()>()).await {
        Ok(()) => Ok(()),
        Err(e) if e.is_timeout() => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests;
