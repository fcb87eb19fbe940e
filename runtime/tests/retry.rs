//! The standard retry mode: classification, backoff, attempts and the retry quota.

use std::sync::Arc;
use std::time::Duration;

use botogen_runtime::retry::{
    FixedJitter, Jitter, RetryConfig, RetryKind, RetryQuota, RetryStrategy, XorShiftJitter,
    classify, is_throttling_code,
};

const TRANSIENT: RetryKind = RetryKind::Transient {
    io_or_timeout: false,
};
const IO: RetryKind = RetryKind::Transient {
    io_or_timeout: true,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// --- classification ---

#[test]
fn throttling_codes_and_429_are_throttling() {
    for code in [
        "TooManyRequestsException",
        "LambdaThrottledException",
        "ThrottlingException",
        "Throttling",
        "ProvisionedThroughputExceededException",
        "SlowDown",
    ] {
        assert!(is_throttling_code(code), "{code}");
        assert_eq!(
            classify(Some(code), Some(400), false),
            RetryKind::Throttling,
            "{code}"
        );
        assert_eq!(
            classify(Some(code), None, false),
            RetryKind::Throttling,
            "{code}"
        );
    }
    // A throttling code on a 5xx is still throttling.
    assert_eq!(
        classify(Some("SlowDown"), Some(503), false),
        RetryKind::Throttling
    );
    assert_eq!(classify(None, Some(429), false), RetryKind::Throttling);
    assert_eq!(
        classify(Some("Whatever"), Some(429), false),
        RetryKind::Throttling
    );
}

#[test]
fn server_errors_and_transient_codes_are_transient() {
    for status in [500, 502, 503, 504] {
        assert_eq!(classify(None, Some(status), false), TRANSIENT, "{status}");
        assert_eq!(
            classify(Some("InternalFailure"), Some(status), false),
            TRANSIENT
        );
    }
    assert_eq!(classify(None, Some(501), false), RetryKind::NotRetryable);
    assert_eq!(
        classify(Some("RequestTimeout"), Some(400), false),
        TRANSIENT
    );
    assert_eq!(classify(Some("InternalError"), None, false), TRANSIENT);
}

#[test]
fn client_errors_are_not_retryable() {
    assert_eq!(classify(None, Some(400), false), RetryKind::NotRetryable);
    assert_eq!(
        classify(Some("ValidationException"), Some(400), false),
        RetryKind::NotRetryable
    );
    assert_eq!(
        classify(Some("ResourceNotFoundException"), Some(404), false),
        RetryKind::NotRetryable
    );
    assert_eq!(classify(None, None, false), RetryKind::NotRetryable);
    assert!(!RetryKind::NotRetryable.is_retryable());
    assert_eq!(RetryKind::NotRetryable.quota_cost(), 0);
}

#[test]
fn io_errors_and_timeouts_are_transient_and_cost_more() {
    assert_eq!(classify(None, None, true), IO);
    // The transport failure decides, whatever else is known.
    assert_eq!(classify(Some("ValidationException"), Some(400), true), IO);
    assert_eq!(IO.quota_cost(), 10);
    assert_eq!(TRANSIENT.quota_cost(), 5);
    assert_eq!(RetryKind::Throttling.quota_cost(), 5);
}

#[test]
fn classify_agrees_with_is_retryable() {
    let codes = [
        None,
        Some("ThrottlingException"),
        Some("RequestTimeoutException"),
        Some("AccessDeniedException"),
    ];
    for code in codes {
        for status in [
            None,
            Some(200),
            Some(400),
            Some(404),
            Some(429),
            Some(500),
            Some(501),
            Some(503),
            Some(599),
        ] {
            assert_eq!(
                classify(code, status, false).is_retryable(),
                botogen_runtime::error::is_retryable(code, status),
                "{code:?} {status:?}"
            );
        }
    }
}

// --- backoff ---

#[test]
fn backoff_doubles_from_100_ms_and_caps_at_20_s() {
    let config = RetryConfig::default();
    assert_eq!(config.max_attempts, 3);
    assert_eq!(config.initial_backoff, ms(100));
    assert_eq!(config.max_backoff, Duration::from_secs(20));
    let full: Vec<_> = (1..=10)
        .map(|attempt| config.backoff(attempt, 1.0))
        .collect();
    assert_eq!(
        full,
        [100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000].map(ms)
    );
    assert_eq!(config.backoff(u32::MAX, 1.0), Duration::from_secs(20));
    assert_eq!(config.backoff(3, 0.5), ms(200));
    assert_eq!(config.backoff(3, 0.0), Duration::ZERO);
    // Out-of-range jitter is clamped.
    assert_eq!(config.backoff(1, 7.0), ms(100));
    assert_eq!(config.backoff(1, -1.0), Duration::ZERO);
    assert_eq!(config.backoff(1, f64::NAN), ms(100));
    assert_eq!(config.backoff(1, f64::INFINITY), ms(100));

    let custom = RetryConfig::default()
        .with_initial_backoff(Duration::from_secs(1))
        .with_max_backoff(Duration::from_secs(5));
    assert_eq!(custom.backoff(3, 1.0), Duration::from_secs(4));
    assert_eq!(custom.backoff(4, 1.0), Duration::from_secs(5));
}

#[test]
fn random_jitter_stays_within_the_exponential_bound() {
    let config = RetryConfig::default().with_max_attempts(20);
    let jitter = XorShiftJitter::new(42);
    let mut distinct = std::collections::HashSet::new();
    for _ in 0..50 {
        for attempt in 1..=12 {
            let fraction = jitter.next_fraction();
            assert!((0.0..1.0).contains(&fraction), "{fraction}");
            let delay = config.backoff(attempt, fraction);
            let bound = ms(100 * (1 << (attempt - 1))).min(Duration::from_secs(20));
            assert!(delay <= bound, "attempt {attempt}: {delay:?} > {bound:?}");
            distinct.insert(delay);
        }
    }
    assert!(
        distinct.len() > 100,
        "jitter should vary: {}",
        distinct.len()
    );
    // Same seed, same sequence; the clock-seeded default differs between instances.
    let (a, b) = (XorShiftJitter::new(7), XorShiftJitter::new(7));
    assert_eq!(
        (0..5).map(|_| a.next_fraction()).collect::<Vec<_>>(),
        (0..5).map(|_| b.next_fraction()).collect::<Vec<_>>()
    );
    let (a, b) = (XorShiftJitter::from_time(), XorShiftJitter::from_time());
    assert_ne!(a.next_fraction(), b.next_fraction());
}

// --- attempts ---

#[test]
fn attempts_stop_at_max_attempts() {
    let strategy = RetryStrategy::new(RetryConfig::default()).with_jitter(FixedJitter(1.0));
    assert_eq!(strategy.should_retry(1, TRANSIENT), Some(ms(100)));
    assert_eq!(
        strategy.should_retry(2, RetryKind::Throttling),
        Some(ms(200))
    );
    assert_eq!(strategy.should_retry(3, TRANSIENT), None);
    assert_eq!(strategy.should_retry(4, TRANSIENT), None);

    let five = RetryStrategy::new(RetryConfig::default().with_max_attempts(5))
        .with_jitter(FixedJitter(0.5));
    let delays: Vec<_> = (1..=6).map(|a| five.should_retry(a, IO)).collect();
    assert_eq!(
        delays,
        [
            Some(ms(50)),
            Some(ms(100)),
            Some(ms(200)),
            Some(ms(400)),
            None,
            None
        ]
    );
}

#[test]
fn disabled_and_not_retryable_never_retry_nor_spend() {
    let disabled = RetryStrategy::new(RetryConfig::disabled());
    assert_eq!(disabled.config().max_attempts, 1);
    assert_eq!(disabled.should_retry(1, RetryKind::Throttling), None);
    let zero = RetryStrategy::new(RetryConfig::default().with_max_attempts(0));
    assert_eq!(zero.should_retry(1, TRANSIENT), None);
    assert_eq!(zero.should_retry(0, TRANSIENT), None);

    let strategy = RetryStrategy::default();
    assert_eq!(strategy.should_retry(1, RetryKind::NotRetryable), None);
    assert_eq!(strategy.quota().available(), 500);
    assert_eq!(disabled.quota().available(), 500);
}

// --- quota ---

#[test]
fn quota_drains_and_refuses_when_empty() {
    let quota = RetryQuota::new();
    assert_eq!((quota.available(), quota.capacity()), (500, 500));
    let mut tokens = Vec::new();
    while let Some(token) = quota.try_acquire(TRANSIENT) {
        assert_eq!(token.cost(), 5);
        tokens.push(token);
    }
    assert_eq!(tokens.len(), 100);
    assert_eq!(quota.available(), 0);
    assert_eq!(quota.try_acquire(RetryKind::Throttling), None);

    let small = RetryQuota::with_capacity(14);
    assert_eq!(small.try_acquire(IO).map(|t| t.cost()), Some(10));
    // 4 left: a timeout retry (10) and a normal one (5) are both refused, taking nothing.
    assert_eq!(small.try_acquire(IO), None);
    assert_eq!(small.try_acquire(TRANSIENT), None);
    assert_eq!(small.available(), 4);
    assert_eq!(small.try_acquire(RetryKind::NotRetryable), None);
}

#[test]
fn quota_refills_on_success_up_to_capacity() {
    let quota = RetryQuota::new();
    let token = quota.try_acquire(IO).unwrap();
    assert_eq!(quota.available(), 490);
    quota.release(token);
    assert_eq!(quota.available(), 500);
    quota.on_success();
    assert_eq!(quota.available(), 500, "never above capacity");
    let _spent = quota.try_acquire(TRANSIENT).unwrap();
    quota.on_success();
    quota.on_success();
    assert_eq!(quota.available(), 497);
}

#[test]
fn strategy_refuses_retries_when_the_shared_quota_is_empty() {
    let quota = Arc::new(RetryQuota::with_capacity(10));
    let a = RetryStrategy::new(RetryConfig::default().with_max_attempts(10))
        .with_quota(quota.clone())
        .with_jitter(FixedJitter(1.0));
    let b = a.clone();
    assert!(a.should_retry(1, TRANSIENT).is_some());
    assert!(b.should_retry(1, RetryKind::Throttling).is_some());
    assert_eq!(quota.available(), 0);
    assert_eq!(a.should_retry(2, TRANSIENT), None);
    assert_eq!(b.should_retry(2, TRANSIENT), None);

    // A success after a retry gives that retry's cost back; a first-attempt success adds 1.
    a.on_success(Some(TRANSIENT));
    assert_eq!(quota.available(), 5);
    b.on_success(None);
    assert_eq!(quota.available(), 6);
    assert!(a.should_retry(1, TRANSIENT).is_some());
    assert_eq!(quota.available(), 1);
    a.on_success(Some(RetryKind::NotRetryable));
    assert_eq!(quota.available(), 2);
}

#[test]
fn quota_is_shared_across_threads() {
    let quota = Arc::new(RetryQuota::new());
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let quota = quota.clone();
            std::thread::spawn(move || {
                let mut won = 0;
                while quota.try_acquire(TRANSIENT).is_some() {
                    won += 1;
                }
                won
            })
        })
        .collect();
    let total: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, 100);
    assert_eq!(quota.available(), 0);
}
