//! The delay schedule and the polling loop, with scripted polls.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::*;
use crate::error::ValidationError;
use crate::retry::FixedJitter;

/// An operation error with a code and a status.
#[derive(Debug)]
struct TestError {
    code: Option<&'static str>,
    status: Option<u16>,
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {:?}", self.code, self.status)
    }
}

impl Error for TestError {}

impl OperationError for TestError {
    fn from_validation(_: ValidationError) -> Self {
        TestError {
            code: None,
            status: None,
        }
    }

    fn error_code(&self) -> Option<&str> {
        self.code
    }

    fn http_status(&self) -> Option<u16> {
        self.status
    }
}

fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = f.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}

fn ok(status: &'static str) -> Polled<&'static str, TestError> {
    Ok(Response {
        status: 200,
        output: status,
    })
}

fn err(code: &'static str, status: u16) -> Polled<&'static str, TestError> {
    Err(InvokeError::Service(TestError {
        code: Some(code),
        status: Some(status),
    }))
}

const ACCEPTORS: &[Acceptor<&'static str>] = &[
    Acceptor::new(
        AcceptorState::Success,
        "path `status` == \"READY\"",
        Matcher::Output(|s| *s == "READY"),
    ),
    Acceptor::new(
        AcceptorState::Failure,
        "path `status` == \"FAILED\"",
        Matcher::Output(|s| *s == "FAILED"),
    ),
    Acceptor::new(
        AcceptorState::Retry,
        "error `Throttled`",
        Matcher::ErrorCode("Throttled"),
    ),
    Acceptor::new(AcceptorState::Success, "status 404", Matcher::Status(404)),
];

fn tiny(max_wait: Duration) -> Delays {
    Delays {
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_wait,
    }
}

fn run(
    script: Vec<Polled<&'static str, TestError>>,
    max_wait: Duration,
) -> (
    Result<Success<&'static str, TestError>, WaiterError<TestError>>,
    usize,
) {
    let mut script: VecDeque<_> = script.into();
    let mut polls = 0;
    let result = block_on(wait_with_jitter(
        tiny(max_wait),
        ACCEPTORS,
        || {
            polls += 1;
            std::future::ready(script.pop_front().unwrap_or_else(|| ok("PENDING")))
        },
        &FixedJitter(0.5),
    ));
    (result, polls)
}

#[test]
fn succeeds_after_retries_and_unmatched_outputs() {
    let (result, polls) = run(
        vec![
            ok("PENDING"),
            err("Throttled", 400),
            ok("CREATING"),
            ok("READY"),
        ],
        Duration::from_secs(5),
    );
    let success = result.unwrap();
    assert_eq!(success.attempts, 4);
    assert_eq!(polls, 4);
    assert_eq!(success.into_output().unwrap(), "READY");
}

#[test]
fn a_failure_acceptor_stops_with_its_description() {
    let (result, polls) = run(vec![ok("PENDING"), ok("FAILED")], Duration::from_secs(5));
    let error = result.unwrap_err();
    assert_eq!(polls, 2);
    assert!(matches!(
        error,
        WaiterError::Failure {
            acceptor: "path `status` == \"FAILED\"",
            error: None,
            attempts: 2
        }
    ));
    assert!(error.to_string().contains("FAILED"), "{error}");
}

#[test]
fn an_unmatched_error_stops_with_the_error() {
    let (result, polls) = run(vec![err("AccessDenied", 403)], Duration::from_secs(5));
    let error = result.unwrap_err();
    assert_eq!(polls, 1);
    assert_eq!(
        error.service_error().and_then(|e| e.code),
        Some("AccessDenied")
    );
    assert!(matches!(error, WaiterError::Operation { attempts: 1, .. }));
}

#[test]
fn a_status_acceptor_matches_error_responses() {
    let (result, _) = run(vec![err("NotFound", 404)], Duration::from_secs(5));
    let success = result.unwrap();
    assert!(success.result.is_err());
    assert!(success.output().is_none());
}

#[test]
fn the_maximum_wait_stops_polling() {
    let (result, polls) = run(Vec::new(), Duration::from_millis(30));
    let error = result.unwrap_err();
    assert!(
        matches!(error, WaiterError::Exceeded { attempts, .. } if attempts as usize == polls),
        "{error:?}"
    );
    assert!(polls >= 2, "{polls}");
}

#[test]
fn any_error_and_no_error_matchers() {
    let any: Matcher<&str> = Matcher::AnyError;
    let none: Matcher<&str> = Matcher::NoError;
    assert!(any.matches(&err("X", 400)));
    assert!(!any.matches(&ok("x")));
    let validation: Polled<&str, TestError> = Err(InvokeError::Service(TestError {
        code: None,
        status: None,
    }));
    assert!(!any.matches(&validation), "an error without a code");
    assert!(!any.matches::<TestError>(&Err(InvokeError::Timeout)));
    assert!(none.matches(&ok("x")));
    assert!(!none.matches(&err("X", 400)));
}

#[test]
fn delays_grow_exponentially_up_to_the_maximum() {
    let delays = Delays {
        min_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(20),
        max_wait: Duration::from_secs(1000),
    };
    let long = Duration::from_secs(1000);
    let at = |attempt, jitter| delays.delay(attempt, long, jitter).unwrap();
    assert_eq!(at(1, 1.0), Duration::from_secs(2));
    assert_eq!(at(2, 1.0), Duration::from_secs(4));
    assert_eq!(at(3, 1.0), Duration::from_secs(8));
    assert_eq!(at(4, 1.0), Duration::from_secs(16));
    assert_eq!(at(5, 1.0), Duration::from_secs(20));
    assert_eq!(at(500, 1.0), Duration::from_secs(20));
    assert_eq!(at(5, 0.0), Duration::from_secs(2));
    assert_eq!(at(5, 0.5), Duration::from_secs(11));
    assert_eq!(at(3, f64::NAN), Duration::from_secs(8));
}

#[test]
fn delays_keep_time_for_a_last_poll() {
    let delays = Delays {
        min_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(1),
        max_wait: Duration::from_secs(10),
    };
    // A maximum below the minimum counts as the minimum.
    assert_eq!(
        delays.delay(4, Duration::from_secs(100), 1.0),
        Some(Duration::from_secs(2))
    );
    // 3 s left, 2 s delay: 1 s would be left, less than the minimum: wait 1 s, poll last.
    assert_eq!(
        delays.delay(1, Duration::from_secs(3), 1.0),
        Some(Duration::from_secs(1))
    );
    assert_eq!(delays.delay(1, Duration::from_secs(1), 1.0), None);
    assert_eq!(delays.delay(1, Duration::ZERO, 1.0), None);
}
