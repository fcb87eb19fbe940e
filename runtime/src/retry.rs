//! Retries as the AWS SDKs' "standard" retry mode defines them.
//!
//! * **What is retried** ([`classify`]): throttling (a code of
//!   [`THROTTLING_CODES`], any other code ending in
//!   `ThrottledException` or `ThrottlingException`, HTTP 429) and transient failures (a code
//!   of [`TRANSIENT_CODES`], HTTP 5xx other than 501, I/O
//!   errors and timeouts). Everything else is final.
//! * **How often** ([`RetryConfig::max_attempts`]): 3 attempts in all by default.
//! * **How long to wait** ([`RetryConfig::backoff`]): exponential backoff with full jitter,
//!   `min(random[0, 1] × initial_backoff × 2^(attempt − 1), max_backoff)`. The maximum is the
//!   standard mode's 20 s. The base is 100 ms (as in the AWS SDK for Java v2's standard mode);
//!   botocore and the AWS SDK for Rust use 1 s, which [`RetryConfig::with_initial_backoff`]
//!   can set.
//! * **A retry budget shared by all requests** ([`RetryQuota`]): a token bucket of 500
//!   tokens; a retry costs 5 (10 after an I/O error or timeout) and is refused when the
//!   bucket cannot pay, so a failing service is not hammered. A request that succeeds on its
//!   first attempt adds 1 token; one that succeeds after retries gives back the cost of its
//!   last retry.
//!
//! [`RetryStrategy`] puts these together. The loop of a client looks like this:
//!
//! ```
//! use std::time::Duration;
//! use botogen_runtime::retry::{classify, FixedJitter, RetryConfig, RetryKind, RetryStrategy};
//!
//! let strategy = RetryStrategy::new(RetryConfig::default()).with_jitter(FixedJitter(1.0));
//! let responses = [Some(503), Some(429), None]; // `None`: success
//! let mut delays = Vec::new();
//! let mut last_retry = None;
//! for (attempt, response) in (1..).zip(responses) {
//!     let Some(status) = response else {
//!         strategy.on_success(last_retry);
//!         break;
//!     };
//!     let kind = classify(None, Some(status), false);
//!     let Some(delay) = strategy.should_retry(attempt, kind) else {
//!         panic!("gave up");
//!     };
//!     delays.push(delay); // a real client sleeps here
//!     last_retry = Some(kind);
//! }
//! assert_eq!(delays, [Duration::from_millis(100), Duration::from_millis(200)]);
//! assert_eq!(strategy.quota().available(), 495); // paid 5 + 5, got the last 5 back
//! ```

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{THROTTLING_CODES, TRANSIENT_CODES};

/// Attempts in all, first one included, by default.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The base of the exponential backoff by default.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(100);
/// The longest wait between attempts by default (the standard mode's `MAX_BACKOFF`).
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);

/// Tokens a [`RetryQuota`] starts with (and can hold) by default.
pub const INITIAL_RETRY_TOKENS: u32 = 500;
/// Tokens a retry costs.
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after an I/O error or timeout costs.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a request that succeeds without retries adds.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// How many times to try and how long to wait in between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, first one included: 1 means no retries (0 counts as 1).
    pub max_attempts: u32,
    /// The base of the exponential backoff: the longest wait before the first retry.
    pub initial_backoff: Duration,
    /// The longest wait before any retry.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    /// 3 attempts, backoff from 100 ms up to 20 s.
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }
}

impl RetryConfig {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the number of attempts in all (1: no retries).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the base of the exponential backoff.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest wait.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The wait before retrying after the failed attempt number `attempt` (1-based):
    /// `min(jitter × initial_backoff × 2^(attempt − 1), max_backoff)`, with `jitter` clamped
    /// to `[0, 1]` (a value that is not a number counts as 1).
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let jitter = if jitter.is_nan() {
            1.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        // Beyond 2^62 every product is capped anyway; this keeps the exponent in range.
        let exponent = i32::try_from(attempt.saturating_sub(1).min(62)).unwrap_or(62);
        let factor = 2f64.powi(exponent);
        let max = self.max_backoff.as_secs_f64();
        let secs = (jitter * self.initial_backoff.as_secs_f64() * factor).min(max);
        Duration::try_from_secs_f64(secs).unwrap_or(self.max_backoff)
    }
}

/// Whether and why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryKind {
    /// The service asked to slow down (a throttling code, HTTP 429).
    Throttling,
    /// A failure that may not happen again: HTTP 5xx or a transient code
    /// (`io_or_timeout: false`), or an I/O error or timeout (`io_or_timeout: true`, which
    /// costs the quota more).
    Transient {
        /// The request failed in transport (I/O error, timeout) rather than with a response.
        io_or_timeout: bool,
    },
    /// Retrying would fail the same way.
    NotRetryable,
}

impl RetryKind {
    /// Whether the attempt may be retried at all.
    pub fn is_retryable(self) -> bool {
        self != Self::NotRetryable
    }

    /// A short description: `throttling`, `server error`, `transport error` or
    /// `not retryable`.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Throttling => "throttling",
            Self::Transient {
                io_or_timeout: false,
            } => "server error",
            Self::Transient {
                io_or_timeout: true,
            } => "transport error",
            Self::NotRetryable => "not retryable",
        }
    }

    /// The tokens a retry of this kind takes from the [`RetryQuota`]: 0 if not retryable.
    pub fn quota_cost(self) -> u32 {
        match self {
            Self::Throttling
            | Self::Transient {
                io_or_timeout: false,
            } => RETRY_COST,
            Self::Transient {
                io_or_timeout: true,
            } => TIMEOUT_RETRY_COST,
            Self::NotRetryable => 0,
        }
    }
}

/// Classifies a failed attempt by its error code, HTTP status, and whether it failed in
/// transport (an I/O error or timeout, with no response).
///
/// In order: transport failures are [`Transient`](RetryKind::Transient); a throttling code
/// ([`is_throttling_code`]) or HTTP 429 is [`Throttling`](RetryKind::Throttling); a code of
/// [`TRANSIENT_CODES`] or a 5xx status other than 501 (Not Implemented) is `Transient`;
/// anything else is [`NotRetryable`](RetryKind::NotRetryable). This agrees with
/// [`crate::error::is_retryable`] and adds the throttling-name rule and transport failures.
pub fn classify(code: Option<&str>, status: Option<u16>, io_or_timeout: bool) -> RetryKind {
    if io_or_timeout {
        return RetryKind::Transient {
            io_or_timeout: true,
        };
    }
    let code = code.map(str::trim);
    if code.is_some_and(is_throttling_code) || status == Some(429) {
        RetryKind::Throttling
    } else if code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
        || status.is_some_and(|s| (500..600).contains(&s) && s != 501)
    {
        RetryKind::Transient {
            io_or_timeout: false,
        }
    } else {
        RetryKind::NotRetryable
    }
}

/// Whether `code` means throttling: one of [`THROTTLING_CODES`], or a service-specific name
/// ending in `ThrottledException` or `ThrottlingException` (`LambdaThrottledException`).
pub fn is_throttling_code(code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
        || code.ends_with("ThrottledException")
        || code.ends_with("ThrottlingException")
}

/// The retry budget shared by the requests of a client: a thread-safe token bucket.
///
/// Starts full ([`INITIAL_RETRY_TOKENS`] by default). Each retry takes its
/// [`RetryKind::quota_cost`]; when the bucket cannot pay, the retry is refused. A success on
/// the first attempt adds [`NO_RETRY_INCREMENT`] ([`on_success`](Self::on_success)); a
/// success after retries gives back the cost of the last one ([`release`](Self::release)).
/// The bucket never holds more than it started with.
#[derive(Debug)]
pub struct RetryQuota {
    available: AtomicU32,
    capacity: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::new()
    }
}

impl RetryQuota {
    /// A full bucket of [`INITIAL_RETRY_TOKENS`].
    pub fn new() -> Self {
        Self::with_capacity(INITIAL_RETRY_TOKENS)
    }

    /// A full bucket of `capacity` tokens.
    pub fn with_capacity(capacity: u32) -> Self {
        Self {
            available: AtomicU32::new(capacity),
            capacity,
        }
    }

    /// Tokens in the bucket now.
    pub fn available(&self) -> u32 {
        self.available.load(Ordering::Acquire)
    }

    /// Tokens the bucket holds when full.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Takes the cost of a retry of `kind`, or `None` (taking nothing) if the bucket cannot
    /// pay or `kind` is not retryable.
    pub fn try_acquire(&self, kind: RetryKind) -> Option<RetryToken> {
        if !kind.is_retryable() {
            return None;
        }
        let cost = kind.quota_cost();
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            })
            .ok()
            .map(|_| RetryToken { cost })
    }

    /// Gives back the cost of `token`: its retry succeeded.
    pub fn release(&self, token: RetryToken) {
        self.add(token.cost);
    }

    /// Adds [`NO_RETRY_INCREMENT`]: a request succeeded on its first attempt.
    pub fn on_success(&self) {
        self.add(NO_RETRY_INCREMENT);
    }

    fn add(&self, tokens: u32) {
        let capacity = self.capacity;
        // The closure always returns `Some`, so the update cannot fail.
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                Some(available.saturating_add(tokens).min(capacity))
            });
    }
}

/// The tokens one retry took from a [`RetryQuota`]; hand it back with
/// [`RetryQuota::release`] when the retry succeeds, drop it otherwise.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a token is the only way to give its cost back after a successful retry"]
pub struct RetryToken {
    cost: u32,
}

impl RetryToken {
    /// Tokens taken.
    pub fn cost(&self) -> u32 {
        self.cost
    }
}

/// A source of jitter: fractions in `[0, 1]`.
pub trait Jitter: Send + Sync + fmt::Debug {
    /// The next fraction, in `[0, 1]`.
    fn next_fraction(&self) -> f64;
}

/// Always the same fraction, for tests and deterministic clients.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedJitter(pub f64);

impl Jitter for FixedJitter {
    fn next_fraction(&self) -> f64 {
        self.0
    }
}

/// A small xorshift64* generator: fast, thread-safe, and good enough to spread retries (it is
/// not for cryptography).
#[derive(Debug)]
pub struct XorShiftJitter {
    state: AtomicU64,
}

impl XorShiftJitter {
    /// A generator with a fixed seed: the same seed gives the same fractions.
    pub fn new(seed: u64) -> Self {
        // Spread the seed's bits (splitmix64); xorshift needs a state other than 0.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self {
            state: AtomicU64::new(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z }),
        }
    }

    /// A generator seeded from the clock and a process-wide counter, so generators created
    /// together still differ.
    pub fn from_time() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        Self::new(nanos ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

impl Default for XorShiftJitter {
    fn default() -> Self {
        Self::from_time()
    }
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

impl Jitter for XorShiftJitter {
    fn next_fraction(&self) -> f64 {
        let previous = self
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(xorshift(x)))
            .unwrap_or_else(|x| x);
        let output = xorshift(previous).wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        // 53 random bits over 2^53: a fraction in [0, 1).
        output as f64 / (1u64 << 53) as f64
    }
}

/// Decides, attempt by attempt, whether to retry and how long to wait first.
///
/// Clones share the quota (and the jitter source), as the requests of one client should.
#[derive(Clone, Debug)]
pub struct RetryStrategy {
    config: RetryConfig,
    quota: Arc<RetryQuota>,
    jitter: Arc<dyn Jitter>,
}

impl Default for RetryStrategy {
    fn default() -> Self {
        Self::new(RetryConfig::default())
    }
}

impl RetryStrategy {
    /// A strategy with its own full [`RetryQuota`] and jitter from [`XorShiftJitter`] seeded
    /// from the clock.
    pub fn new(config: RetryConfig) -> Self {
        Self {
            config,
            quota: Arc::new(RetryQuota::new()),
            jitter: Arc::new(XorShiftJitter::from_time()),
        }
    }

    /// Shares `quota` (with other strategies, say one per service client).
    pub fn with_quota(mut self, quota: Arc<RetryQuota>) -> Self {
        self.quota = quota;
        self
    }

    /// Takes jitter from `jitter` (a [`FixedJitter`] in tests).
    pub fn with_jitter(mut self, jitter: impl Jitter + 'static) -> Self {
        self.jitter = Arc::new(jitter);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The retry quota.
    pub fn quota(&self) -> &Arc<RetryQuota> {
        &self.quota
    }

    /// After the attempt number `attempt` (1-based) failed with `kind`: the wait before
    /// trying again, or `None` to give up, because the error is not retryable, `attempt` was
    /// the last of [`RetryConfig::max_attempts`], or the quota cannot pay for the retry.
    ///
    /// A retry takes its cost from the quota; pass its kind to
    /// [`on_success`](Self::on_success) if the next attempt succeeds.
    pub fn should_retry(&self, attempt: u32, kind: RetryKind) -> Option<Duration> {
        if !kind.is_retryable() || attempt.max(1) >= self.config.max_attempts.max(1) {
            return None;
        }
        // The cost stays spent unless `on_success` gives it back.
        let _spent = self.quota.try_acquire(kind)?;
        Some(self.config.backoff(attempt, self.jitter.next_fraction()))
    }

    /// A request succeeded. `last_retry` is the kind passed to the
    /// [`should_retry`](Self::should_retry) that allowed the attempt which succeeded, `None`
    /// if it was the first: its cost goes back to the quota, or, after a first-attempt
    /// success, [`NO_RETRY_INCREMENT`].
    pub fn on_success(&self, last_retry: Option<RetryKind>) {
        match last_retry.filter(|kind| kind.is_retryable()) {
            Some(kind) => self.quota.release(RetryToken {
                cost: kind.quota_cost(),
            }),
            None => self.quota.on_success(),
        }
    }
}
