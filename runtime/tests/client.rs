//! `client::invoke`: endpoint resolution, signing, retries, clock skew and the call timeout,
//! against a `ReplayClient` and the cognito-sync endpoint rule set, driven by a minimal
//! executor (no async runtime).
#![cfg(feature = "client")]

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant, SystemTime};

use botogen_runtime::DateTime;
use botogen_runtime::client::{ClientConfig, ConfigError, InvokeError, invoke};
use botogen_runtime::endpoint::RuleSet;
use botogen_runtime::error::ErrorMeta;
use botogen_runtime::retry::RetryConfig;
use botogen_runtime::sigv4::Credentials;
use botogen_runtime::transport::{ReplayClient, TransportError};

const RULES: &str = include_str!("../../models/cognito-sync/2014-06-30/endpoint-rule-set-1.json");
const PATH: &str = "/identitypools/pool/identities/id/datasets/ds/records?maxResults=2";

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Drives `future` to completion on this thread, parking while it is pending.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// The service error of the tests: just the metadata of the response.
#[derive(Debug)]
struct TestError(ErrorMeta);

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0.code())
    }
}

impl std::error::Error for TestError {}

fn parse(response: &http::Response<Vec<u8>>) -> Result<String, TestError> {
    if response.status().is_success() {
        Ok(String::from_utf8_lossy(response.body()).into_owned())
    } else {
        Err(TestError(ErrorMeta::from_response(
            response.status().as_u16(),
            response.headers(),
            response.body(),
        )))
    }
}

fn classify(error: &TestError) -> (Option<String>, Option<u16>) {
    (error.0.code().map(str::to_owned), error.0.status())
}

fn rules() -> Arc<RuleSet> {
    Arc::new(RuleSet::from_json(RULES).expect("rule set"))
}

fn fast_retry() -> RetryConfig {
    RetryConfig::default().with_initial_backoff(Duration::from_millis(1))
}

fn config_with(
    http: &Arc<ReplayClient>,
    credentials: Credentials,
    retry: RetryConfig,
) -> ClientConfig {
    ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .credentials(credentials)
        .http_client(Arc::clone(http))
        .retry(retry)
        .build()
        .expect("config")
}

fn config(http: &Arc<ReplayClient>, retry: RetryConfig) -> ClientConfig {
    config_with(http, Credentials::new("AKID", "SECRET", None), retry)
}

fn request() -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method("GET")
        .uri(PATH)
        .body(Vec::new())
        .expect("request")
}

fn ok() -> http::Response<&'static str> {
    http::Response::new("{\"ok\":true}")
}

fn status(code: u16) -> http::Response<&'static str> {
    http::Response::builder()
        .status(code)
        .body("{}")
        .expect("response")
}

fn error_response(code: u16, error_type: &str) -> http::Response<String> {
    http::Response::builder()
        .status(code)
        .header("x-amzn-ErrorType", error_type)
        .body(format!("{{\"message\":\"{error_type}\"}}"))
        .expect("response")
}

fn call(config: &ClientConfig) -> Result<String, InvokeError<TestError>> {
    block_on(invoke(config, "ListRecords", request(), parse, classify))
}

fn header(request: &http::Request<Vec<u8>>, name: &str) -> Option<String> {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `20240101T120000Z` -> seconds since the epoch.
fn amz_date_secs(amz_date: &str) -> i64 {
    let b = amz_date.as_bytes();
    assert_eq!(b.len(), 16, "{amz_date}");
    let text = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    DateTime::parse_date_time(&text).expect("x-amz-date").secs()
}

fn now_secs() -> i64 {
    DateTime::from(SystemTime::now()).secs()
}

#[test]
fn success_on_first_attempt_is_signed_and_absolute() {
    let http = Arc::new(ReplayClient::new([ok()]));
    let config = config(&http, fast_retry());
    assert_eq!(call(&config).expect("success"), "{\"ok\":true}");
    let requests = http.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(
        sent.uri().to_string(),
        format!("https://cognito-sync.us-east-1.amazonaws.com{PATH}")
    );
    let authorization = header(sent, "authorization").expect("authorization");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"),
        "{authorization}"
    );
    assert!(authorization.contains("/us-east-1/cognito-sync/aws4_request"));
    let amz_date = header(sent, "x-amz-date").expect("x-amz-date");
    assert!((amz_date_secs(&amz_date) - now_secs()).abs() < 10);
    assert_eq!(header(sent, "x-amz-security-token"), None);
    assert_eq!(
        header(sent, "user-agent").as_deref(),
        Some(botogen_runtime::client::USER_AGENT)
    );
    assert!(botogen_runtime::client::USER_AGENT.starts_with("botogen-runtime/0."));
}

#[test]
fn invoke_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let http = Arc::new(ReplayClient::new([ok()]));
    let config = config(&http, fast_retry());
    let future = invoke(&config, "ListRecords", request(), parse, classify);
    assert_send(&future);
    block_on(future).expect("success");
}

#[test]
fn clock_skew_is_learned_without_retries() {
    let ahead = DateTime::from_secs(now_secs() + 20 * 60);
    let skewed = http::Response::builder()
        .status(403)
        .header("x-amzn-ErrorType", "RequestTimeTooSkewed")
        .header("date", ahead.fmt_http_date())
        .body("{}")
        .expect("response");
    let http = Arc::new(ReplayClient::new([skewed, ok()]));
    let config = config(&http, RetryConfig::disabled());
    assert!(matches!(call(&config), Err(InvokeError::Service(_))));
    assert_eq!(http.calls(), 1);
    assert!((config.clock_skew_seconds() - 20 * 60).abs() < 10);
    call(&config).expect("the next call is signed at the corrected time");
    let second = amz_date_secs(&header(&http.requests()[1], "x-amz-date").expect("date"));
    assert!((second - now_secs() - 20 * 60).abs() < 10);
}

#[test]
fn session_token_is_sent() {
    let http = Arc::new(ReplayClient::new([ok()]));
    let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()));
    let config = config_with(&http, credentials, fast_retry());
    call(&config).expect("success");
    let sent = &http.requests()[0];
    assert_eq!(
        header(sent, "x-amz-security-token").as_deref(),
        Some("TOKEN")
    );
    let authorization = header(sent, "authorization").expect("authorization");
    assert!(
        authorization.contains("x-amz-security-token"),
        "{authorization}"
    );
}

#[test]
fn config_debug_hides_credentials() {
    let http = Arc::new(ReplayClient::new([ok()]));
    let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()));
    let config = config_with(&http, credentials, fast_retry());
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("SECRET") && !debug.contains("TOKEN"),
        "{debug}"
    );
}

#[test]
fn endpoint_override_keeps_its_base_path() {
    let http = Arc::new(ReplayClient::new([ok()]));
    let config = ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .http_client(Arc::clone(&http))
        .endpoint_url("http://127.0.0.1:9/base")
        .build()
        .expect("config");
    call(&config).expect("success");
    assert_eq!(
        http.requests()[0].uri().to_string(),
        format!("http://127.0.0.1:9/base{PATH}")
    );
}

#[test]
fn endpoint_errors_are_reported() {
    let http = Arc::new(ReplayClient::new([ok()]));
    let config = ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .http_client(Arc::clone(&http))
        .endpoint_url("https://example.com")
        .use_fips(true)
        .build()
        .expect("config");
    let error = call(&config).expect_err("FIPS with a custom endpoint");
    assert!(matches!(error, InvokeError::Endpoint(_)), "{error:?}");
    assert_eq!(http.calls(), 0);
}

#[test]
fn throttling_then_success() {
    let http = Arc::new(ReplayClient::new([status(429), ok()]));
    let config = config(&http, fast_retry());
    call(&config).expect("success");
    assert_eq!(http.calls(), 2);
}

#[test]
fn server_error_then_success() {
    let http = Arc::new(ReplayClient::new([status(500), ok()]));
    let config = config(&http, fast_retry());
    call(&config).expect("success");
    assert_eq!(http.calls(), 2);
    // Both attempts were signed anew from the same request.
    let requests = http.requests();
    assert_eq!(requests[0].uri(), requests[1].uri());
    assert!(header(&requests[1], "authorization").is_some());
}

#[test]
fn connect_error_then_success() {
    let http = Arc::new(
        ReplayClient::new([ok()]).with_error(0, TransportError::connect("connection refused")),
    );
    let config = config(&http, fast_retry());
    call(&config).expect("success");
    assert_eq!(http.calls(), 2);
}

#[test]
fn non_transient_transport_error_is_final() {
    let http = Arc::new(ReplayClient::new([ok()]).with_error(0, TransportError::other("bad")));
    let config = config(&http, fast_retry());
    let error = call(&config).expect_err("failure");
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert_eq!(http.calls(), 1);
}

#[test]
fn client_error_is_not_retried() {
    let http = Arc::new(ReplayClient::new([
        error_response(400, "InvalidParameterException"),
        ok().map(String::from),
    ]));
    let config = config(&http, fast_retry());
    let error = call(&config).expect_err("failure");
    let InvokeError::Service(TestError(meta)) = &error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(meta.code(), Some("InvalidParameterException"));
    assert_eq!(meta.status(), Some(400));
    assert_eq!(http.calls(), 1);
}

#[test]
fn gives_up_after_max_attempts() {
    let http = Arc::new(ReplayClient::new([
        status(503),
        status(503),
        status(503),
        ok(),
    ]));
    let config = config(&http, fast_retry().with_max_attempts(3));
    let error = call(&config).expect_err("failure");
    assert!(
        matches!(&error, InvokeError::Service(TestError(meta)) if meta.status() == Some(503)),
        "{error:?}"
    );
    assert_eq!(http.calls(), 3);
}

#[test]
fn retries_disabled_means_one_attempt() {
    let http = Arc::new(ReplayClient::new([status(503), ok()]));
    let config = config(&http, RetryConfig::disabled());
    let error = call(&config).expect_err("failure");
    assert!(matches!(error, InvokeError::Service(_)), "{error:?}");
    assert_eq!(http.calls(), 1);
}

#[test]
fn clock_skew_is_corrected_once() {
    let ahead = DateTime::from_secs(now_secs() + 20 * 60);
    let skewed = http::Response::builder()
        .status(400)
        .header("x-amzn-ErrorType", "InvalidSignatureException")
        .header("date", ahead.fmt_http_date())
        .body("{}")
        .expect("response");
    let http = Arc::new(ReplayClient::new([skewed, ok()]));
    let config = config(&http, fast_retry());
    call(&config).expect("success");
    assert_eq!(http.calls(), 2);
    let requests = http.requests();
    let first = amz_date_secs(&header(&requests[0], "x-amz-date").expect("date"));
    let second = amz_date_secs(&header(&requests[1], "x-amz-date").expect("date"));
    assert!(
        (first - now_secs()).abs() < 10,
        "first attempt at local time"
    );
    assert!(
        (second - now_secs() - 20 * 60).abs() < 10,
        "second attempt ~20 minutes ahead: {second} vs {}",
        now_secs()
    );
    assert!((config.clock_skew_seconds() - 20 * 60).abs() < 10);
}

#[test]
fn clock_skew_error_without_date_is_final() {
    let http = Arc::new(ReplayClient::new([
        error_response(400, "InvalidSignatureException"),
        ok().map(String::from),
    ]));
    let config = config(&http, fast_retry());
    let error = call(&config).expect_err("failure");
    assert!(matches!(error, InvokeError::Service(_)), "{error:?}");
    assert_eq!(http.calls(), 1);
}

#[test]
fn call_timeout_stops_a_slow_call() {
    let http = Arc::new(ReplayClient::new([ok()]).with_delay(0, Duration::from_secs(5)));
    let config = ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .http_client(Arc::clone(&http))
        .call_timeout(Some(Duration::from_millis(50)))
        .build()
        .expect("config");
    let started = Instant::now();
    let error = call(&config).expect_err("timeout");
    assert!(matches!(error, InvokeError::Timeout), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn builder_errors_name_the_missing_setting() {
    let http = Arc::new(ReplayClient::new([ok()]));
    let credentials = || Credentials::new("AKID", "SECRET", None);

    let error = ClientConfig::builder(rules(), "cognito-sync")
        .credentials(credentials())
        .http_client(Arc::clone(&http))
        .build()
        .expect_err("no region");
    assert_eq!(error, ConfigError::Missing("region"));
    assert!(error.to_string().contains("region"), "{error}");

    let error = ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .http_client(Arc::clone(&http))
        .build()
        .expect_err("no credentials");
    assert_eq!(error, ConfigError::Missing("credentials"));
    assert!(error.to_string().contains("credentials"), "{error}");

    let error = ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .credentials(credentials())
        .build()
        .expect_err("no HTTP client");
    assert_eq!(error, ConfigError::Missing("http_client"));
    assert!(error.to_string().contains("http_client"), "{error}");

    let error = ClientConfig::builder(rules(), "cognito-sync")
        .region("us-east-1")
        .credentials(credentials())
        .http_client(Arc::clone(&http))
        .endpoint_url("not a url")
        .build()
        .expect_err("bad endpoint URL");
    assert!(
        matches!(error, ConfigError::InvalidEndpointUrl(_)),
        "{error:?}"
    );
}
