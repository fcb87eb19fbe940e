//! The request orchestrator: [`invoke`] takes a request serialized by a generated operation
//! (relative URI `/path?query`) and sees it through to a parsed output.
//!
//! One call does, in order:
//!
//! 1. **Endpoint resolution**, once: the rule set's parameters with a built-in
//!    (`AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`) get the values of
//!    the [`ClientConfig`]; the resolved URL (which may carry a base path) is joined with the
//!    request's path and query, the operation's [`HostPrefix`] (if the request carries one,
//!    unless [`ClientConfig::disable_host_prefix`]) goes before its host, and the endpoint's
//!    headers are added.
//! 2. **Attempts**, each on a copy of the request, authenticated as the operation's
//!    [`AuthScheme`] says: for SigV4, credentials from the provider and a signature at the
//!    local time corrected by the clock skew learned so far (over `UNSIGNED-PAYLOAD` for
//!    [`AuthScheme::SigV4UnsignedPayload`]); for bearer auth, the configured token; for
//!    [`AuthScheme::NoAuth`], nothing. Then a send through
//!    the [`HttpClient`](crate::transport::HttpClient) with the per-attempt
//!    [`Timeouts`](crate::transport::Timeouts), then the operation's `parse`.
//! 3. **Retries** as [`crate::retry`] defines them: a parsed error is classified by its code
//!    and status, a transient [`TransportError`] as an I/O failure; the
//!    [`RetryStrategy`](crate::retry::RetryStrategy) decides and the call waits the backoff
//!    without blocking the executor. An error with one of the
//!    [`CLOCK_SKEW_ERROR_CODES`](crate::sigv4::CLOCK_SKEW_ERROR_CODES) and a `Date` header
//!    that shows the clock is off by more than [`CLOCK_SKEW_THRESHOLD_SECS`] is retried once,
//!    at once, signed at the corrected time; it counts as an attempt but costs no quota.
//! 4. The **whole call** runs under [`ClientConfig::call_timeout`]; past it the call fails
//!    with [`InvokeError::Timeout`].
//!
//! No async runtime is needed: waits use helper threads, as
//! [`with_timeout`] does, so the future runs on any executor.

mod config;
mod service;
mod streaming;

use std::error::Error;
use std::fmt;
use std::time::{Duration, SystemTime};

pub use config::{ClientConfig, ClientConfigBuilder, ConfigError, DEFAULT_TIMEOUTS, REGION_VARS};
pub use service::{Config, ConfigBuilder, Service};
pub use streaming::{ParseStreaming, invoke_streaming, send_streaming};

use crate::credentials::{CredentialsError, Token};
use crate::endpoint::{Endpoint, EndpointError, Params};
use crate::error::{OperationError, ValidationError};
use crate::rest::HostPrefix;
use crate::retry::{RetryKind, classify as classify_retry};
use crate::sigv4::{
    PayloadHash, SigningError, SigningParams, apply_skew, is_clock_skew_error, sign,
    skew_from_response,
};
use crate::trace;
use crate::transport::{TransportError, with_timeout};
use crate::validate::Validation;
use crate::{BuildError, DateTime};

/// The smallest clock skew, in seconds, that triggers a retry at the corrected time after a
/// clock-skew error (4 minutes; AWS accepts signatures up to 5 minutes off). A smaller skew
/// means the error has another cause, such as wrong credentials, which a retry would not fix.
pub const CLOCK_SKEW_THRESHOLD_SECS: i64 = 4 * 60;

/// How an operation's requests are authenticated: the model's `auth` list (the first scheme
/// this runtime supports), else its legacy `authtype`, else the service's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthScheme {
    /// AWS Signature Version 4 over the body's SHA-256 (`aws.auth#sigv4`), the default.
    #[default]
    SigV4,
    /// SigV4 with `x-amz-content-sha256: UNSIGNED-PAYLOAD`, signed, in place of the body's
    /// hash (`authtype: v4-unsigned-body`, `unsignedPayload`): for streamed or large bodies.
    SigV4UnsignedPayload,
    /// `Authorization: Bearer <token>` with the configured token
    /// (`smithy.api#httpBearerAuth`, `authtype: bearer`).
    Bearer,
    /// Sent as it is, unsigned; no credentials needed (`smithy.api#noAuth`, `authtype: none`).
    NoAuth,
}

/// What the client needs to know about an operation besides its request: its name (for
/// `tracing` data) and how it is authenticated. A `&'static str` converts into one that signs
/// with [`AuthScheme::SigV4`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OperationSpec {
    /// The operation's name in the model, such as `ListRecords`.
    pub name: &'static str,
    /// How its requests are authenticated.
    pub auth: AuthScheme,
}

impl OperationSpec {
    /// Operation `name`, authenticated with `auth`.
    pub const fn new(name: &'static str, auth: AuthScheme) -> Self {
        OperationSpec { name, auth }
    }
}

impl From<&'static str> for OperationSpec {
    fn from(name: &'static str) -> Self {
        OperationSpec::new(name, AuthScheme::SigV4)
    }
}

/// Why [`invoke`] produced no output.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvokeError<E> {
    /// The service answered with an error, as the operation's `parse` read it (after any
    /// retries).
    Service(E),
    /// No response: the HTTP client failed (after any retries of transient failures).
    Transport(TransportError),
    /// The whole call took longer than [`ClientConfig::call_timeout`].
    Timeout,
    /// No endpoint could be resolved for the configuration.
    Endpoint(EndpointError),
    /// The resolved endpoint cannot be applied to the request: its URL joined with the
    /// request's path is not a valid URI, or one of its headers is invalid. Says what.
    InvalidEndpoint(String),
    /// The credentials provider gave no credentials.
    Credentials(CredentialsError),
    /// The request could not be signed.
    Signing(SigningError),
    /// The operation uses bearer auth and the configuration has no token (set one with
    /// `bearer_token(..)` on the config builder); nothing was sent.
    MissingBearerToken,
}

impl<E> InvokeError<E> {
    /// The operation's error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            InvokeError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The operation's error, if the service answered with one, by value.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            InvokeError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for InvokeError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvokeError::Service(e) => write!(f, "service error: {e}"),
            InvokeError::Transport(e) => write!(f, "request failed: {e}"),
            InvokeError::Timeout => f.write_str("the call did not complete within its timeout"),
            InvokeError::Endpoint(e) => write!(f, "cannot resolve the endpoint: {e}"),
            InvokeError::InvalidEndpoint(what) => write!(f, "invalid endpoint: {what}"),
            InvokeError::Credentials(e) => write!(f, "cannot get credentials: {e}"),
            InvokeError::Signing(e) => write!(f, "cannot sign the request: {e}"),
            InvokeError::MissingBearerToken => f.write_str(
                "the operation needs a bearer token and none is configured: set one with `bearer_token(..)` on the config builder",
            ),
        }
    }
}

impl<E: Error + 'static> Error for InvokeError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            InvokeError::Service(e) => Some(e),
            InvokeError::Transport(e) => Some(e),
            InvokeError::Endpoint(e) => Some(e),
            InvokeError::Credentials(e) => Some(e),
            InvokeError::Signing(e) => Some(e),
            InvokeError::Timeout
            | InvokeError::InvalidEndpoint(_)
            | InvokeError::MissingBearerToken => None,
        }
    }
}

/// Sends `request` (as a generated `serialize_request` makes it: relative URI, unsigned) to
/// the service `config` describes and reads the answer with `parse`, retrying as the module
/// documentation describes. `operation` names the call in `tracing` data and says how it is
/// authenticated (a bare name means SigV4).
///
/// `classify` tells the retry logic the error code and HTTP status of an error `parse`
/// returned; for generated errors, [`send`] does this through
/// [`OperationError`].
///
/// # Errors
///
/// See [`InvokeError`]: the last parsed error, the last transport failure, the call timeout,
/// or a failure to resolve the endpoint, get credentials or sign.
pub async fn invoke<O, E>(
    config: &ClientConfig,
    operation: impl Into<OperationSpec>,
    request: http::Request<Vec<u8>>,
    parse: impl Fn(&http::Response<Vec<u8>>) -> Result<O, E>,
    classify: impl Fn(&E) -> (Option<String>, Option<u16>),
) -> Result<O, InvokeError<E>> {
    let operation = operation.into();
    let span = trace::call_span(&config.signing_name, operation.name, &config.region);
    trace::in_span(span, async {
        let mut attempts = 0;
        let call = run(
            config,
            operation.auth,
            request,
            parse,
            classify,
            &mut attempts,
        );
        let outcome = match with_timeout(config.call_timeout, call).await {
            Ok(outcome) => outcome,
            Err(e) if e.is_timeout() => Err(InvokeError::Timeout),
            Err(e) => Err(InvokeError::Transport(e)),
        };
        trace::call_finished(attempts, outcome_name(&outcome));
        outcome
    })
    .await
}

/// Builds, validates, sends and parses one call of a generated operation: `input` is the
/// result of the input builder (a missing required member becomes the operation's
/// validation error, and nothing is sent), `serialize` and `parse` are the operation's
/// `serialize_request` and `parse_response`; `operation` names it and says how it is
/// authenticated.
///
/// # Errors
///
/// As [`invoke`]; input rejected before sending is [`InvokeError::Service`] holding the
/// operation error's validation variant.
pub async fn send<I, O, E: OperationError>(
    config: &ClientConfig,
    operation: impl Into<OperationSpec>,
    input: Result<I, BuildError>,
    validation: Validation,
    serialize: impl FnOnce(&I, Validation) -> Result<http::Request<Vec<u8>>, E>,
    parse: impl Fn(&http::Response<Vec<u8>>) -> Result<O, E>,
) -> Result<O, InvokeError<E>> {
    let input =
        input.map_err(|e| InvokeError::Service(E::from_validation(ValidationError::from(e))))?;
    let request = serialize(&input, validation).map_err(InvokeError::Service)?;
    drop(input);
    invoke(config, operation, request, parse, |e: &E| {
        (e.error_code().map(str::to_owned), e.http_status())
    })
    .await
}

/// A word for how a call ended, for tracing.
fn outcome_name<O, E>(outcome: &Result<O, InvokeError<E>>) -> &'static str {
    match outcome {
        Ok(_) => "ok",
        Err(InvokeError::Service(_)) => "service error",
        Err(InvokeError::Transport(_)) => "transport error",
        Err(InvokeError::Timeout) => "call timeout",
        Err(InvokeError::Endpoint(_) | InvokeError::InvalidEndpoint(_)) => "endpoint error",
        Err(InvokeError::Credentials(_)) => "credentials error",
        Err(InvokeError::Signing(_)) => "signing error",
        Err(InvokeError::MissingBearerToken) => "credentials error",
    }
}

/// The call without its overall timeout; counts the attempts made in `attempts`.
async fn run<O, E>(
    config: &ClientConfig,
    auth: AuthScheme,
    request: http::Request<Vec<u8>>,
    parse: impl Fn(&http::Response<Vec<u8>>) -> Result<O, E>,
    classify: impl Fn(&E) -> (Option<String>, Option<u16>),
    attempts: &mut u32,
) -> Result<O, InvokeError<E>> {
    let endpoint = resolve_endpoint(config).map_err(InvokeError::Endpoint)?;
    let mut request = apply_endpoint(request, &endpoint, !config.disable_host_prefix)?;
    add_user_agent(&mut request);
    let strategy = config.retry();
    let mut attempt: u32 = 1;
    let mut last_retry: Option<RetryKind> = None;
    let mut skew_retried = false;
    loop {
        *attempts = attempt;
        let response = match send_attempt(config, auth, &request).await? {
            Ok(response) => response,
            Err(error) => {
                trace::attempt_failed(attempt, &error);
                if !error.is_transient() {
                    return Err(InvokeError::Transport(error));
                }
                let kind = classify_retry(None, None, true);
                let Some(delay) = strategy.should_retry(attempt, kind) else {
                    return Err(InvokeError::Transport(error));
                };
                trace::retrying(attempt, kind.reason(), None, delay);
                sleep(delay).await.map_err(InvokeError::Transport)?;
                last_retry = Some(kind);
                attempt = attempt.saturating_add(1);
                continue;
            }
        };
        trace::attempt_response(attempt, response.status().as_u16(), request_id(&response));
        let error = match parse(&response) {
            Ok(output) => {
                strategy.on_success(last_retry);
                return Ok(output);
            }
            Err(error) => error,
        };
        let (code, status) = classify(&error);
        // The skew is learned even when no attempt is left, for the calls that follow.
        if !skew_retried
            && code
                .as_deref()
                .is_some_and(|c| is_clock_skew_error(c.trim()))
            && learn_skew(config, &response)
            && attempt < strategy.config().max_attempts
        {
            trace::skew_corrected(attempt, config.clock_skew_seconds());
            skew_retried = true;
            attempt = attempt.saturating_add(1);
            continue;
        }
        let kind = classify_retry(code.as_deref(), status, false);
        let Some(delay) = strategy.should_retry(attempt, kind) else {
            return Err(InvokeError::Service(error));
        };
        trace::retrying(attempt, kind.reason(), code.as_deref(), delay);
        sleep(delay).await.map_err(InvokeError::Transport)?;
        last_retry = Some(kind);
        attempt = attempt.saturating_add(1);
    }
}

/// The `User-Agent` the client sends unless the request has one: this runtime and its version.
pub const USER_AGENT: &str = concat!("botogen-runtime/", env!("CARGO_PKG_VERSION"));

/// Sets [`USER_AGENT`] on a request that has no `User-Agent` of its own.
fn add_user_agent(request: &mut http::Request<Vec<u8>>) {
    if !request.headers().contains_key(http::header::USER_AGENT) {
        request.headers_mut().insert(
            http::header::USER_AGENT,
            http::HeaderValue::from_static(USER_AGENT),
        );
    }
}

/// The request id AWS put on a response, if any.
fn request_id(response: &http::Response<Vec<u8>>) -> Option<&str> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| response.headers().get(*name))
        .and_then(|value| value.to_str().ok())
}

/// One attempt: authentication as `auth` says, then the send. The outer `Result` is a final
/// failure, the inner one the transport's outcome.
async fn send_attempt<E>(
    config: &ClientConfig,
    auth: AuthScheme,
    request: &http::Request<Vec<u8>>,
) -> Result<Result<http::Response<Vec<u8>>, TransportError>, InvokeError<E>> {
    let mut attempt = copy_request(request);
    authenticate(config, auth, &mut attempt)?;
    let outcome = config.http.send(attempt, &config.timeouts).await;
    Ok(outcome.map(|response| response.map(Vec::from)))
}

/// Signs `request` or adds its token, as `auth` says.
fn authenticate<E>(
    config: &ClientConfig,
    auth: AuthScheme,
    request: &mut http::Request<Vec<u8>>,
) -> Result<(), InvokeError<E>> {
    let payload = match auth {
        AuthScheme::NoAuth => return Ok(()),
        AuthScheme::Bearer => {
            let token = config
                .token
                .as_ref()
                .ok_or(InvokeError::MissingBearerToken)?
                .provide_token()
                .map_err(InvokeError::Credentials)?;
            return add_bearer_token(request, &token).map_err(InvokeError::Credentials);
        }
        AuthScheme::SigV4 => PayloadHash::Sha256OfBody,
        AuthScheme::SigV4UnsignedPayload => PayloadHash::Unsigned,
    };
    let credentials = config
        .credentials
        .provide()
        .map_err(InvokeError::Credentials)?;
    let now = DateTime::from(SystemTime::now());
    let time = apply_skew(now, config.clock_skew_seconds());
    let unsigned = payload == PayloadHash::Unsigned;
    let params = SigningParams::new(&credentials, &config.region, &config.signing_name, time)
        .with_payload(payload)
        .with_content_sha256_header(unsigned);
    sign(request, &params).map_err(InvokeError::Signing)
}

/// Sets `Authorization: Bearer <token>` (marked sensitive).
fn add_bearer_token(
    request: &mut http::Request<Vec<u8>>,
    token: &Token,
) -> Result<(), CredentialsError> {
    let mut value =
        http::HeaderValue::from_str(&format!("Bearer {}", token.as_str())).map_err(|_| {
            CredentialsError::invalid("bearer token", "contains characters a header cannot carry")
        })?;
    value.set_sensitive(true);
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, value);
    Ok(())
}

/// After a clock-skew error: records the skew the response's `Date` header shows, and
/// whether it differs enough from the one in use for a retry to help.
fn learn_skew(config: &ClientConfig, response: &http::Response<Vec<u8>>) -> bool {
    let Some(date) = response
        .headers()
        .get(http::header::DATE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(skew) = skew_from_response(date, DateTime::from(SystemTime::now())) else {
        return false;
    };
    let previous = config.clock_skew_seconds();
    if skew.saturating_sub(previous).saturating_abs() < CLOCK_SKEW_THRESHOLD_SECS {
        return false;
    }
    config.set_clock_skew_seconds(skew);
    true
}

/// Resolves the endpoint from the rule set's built-in parameters.
fn resolve_endpoint(config: &ClientConfig) -> Result<Endpoint, EndpointError> {
    let mut params = Params::new();
    for parameter in config.rule_set.parameters() {
        let name = parameter.name();
        match parameter.built_in() {
            Some("AWS::Region") => {
                params.insert(name, config.region.as_str());
            }
            Some("AWS::UseFIPS") => {
                params.insert(name, config.use_fips);
            }
            Some("AWS::UseDualStack") => {
                params.insert(name, config.use_dual_stack);
            }
            Some("SDK::Endpoint") => {
                if let Some(url) = &config.endpoint_url {
                    params.insert(name, url.as_str());
                }
            }
            _ => {}
        }
    }
    config.rule_set.resolve(&params)
}

/// Makes the request's URI absolute under `endpoint`, with the request's [`HostPrefix`]
/// before the host when `host_prefix` allows, and adds the endpoint's headers.
fn apply_endpoint<E>(
    mut request: http::Request<Vec<u8>>,
    endpoint: &Endpoint,
    host_prefix: bool,
) -> Result<http::Request<Vec<u8>>, InvokeError<E>> {
    let path_and_query = request
        .uri()
        .path_and_query()
        .map_or("/", http::uri::PathAndQuery::as_str);
    let uri = match HostPrefix::of(&request).filter(|_| host_prefix) {
        Some(prefix) => join_url(&prefix.apply_to_url(&endpoint.url), path_and_query),
        None => join_url(&endpoint.url, path_and_query),
    };
    *request.uri_mut() = uri
        .parse()
        .map_err(|_| InvokeError::InvalidEndpoint(format!("request URI {uri:?}")))?;
    for (name, values) in &endpoint.headers {
        let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) else {
            return Err(InvokeError::InvalidEndpoint(format!(
                "header name {name:?}"
            )));
        };
        request.headers_mut().remove(&name);
        for value in values {
            let Ok(value) = http::HeaderValue::from_str(value) else {
                return Err(InvokeError::InvalidEndpoint(format!(
                    "value of header {name:?}"
                )));
            };
            request.headers_mut().append(name.clone(), value);
        }
    }
    Ok(request)
}

/// `https://host/base` + `/path?q` -> `https://host/base/path?q`.
fn join_url(endpoint: &str, path_and_query: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    let rest = if path_and_query.starts_with('/') {
        path_and_query.to_owned()
    } else {
        format!("/{path_and_query}")
    };
    format!("{base}{rest}")
}

/// A copy of `request` (extensions cannot be cloned and are left out).
fn copy_request(request: &http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// Waits `duration` without blocking the executor: a timeout on a future that never
/// finishes. Fails only if the timer thread cannot be started.
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
mod tests {
    use super::join_url;

    #[test]
    fn joins_base_paths() {
        assert_eq!(
            join_url("https://h.example", "/a?b=c"),
            "https://h.example/a?b=c"
        );
        assert_eq!(join_url("https://h.example/", "/a"), "https://h.example/a");
        assert_eq!(
            join_url("https://h.example/custom", "/a"),
            "https://h.example/custom/a"
        );
        assert_eq!(
            join_url("https://h.example/custom/", "/"),
            "https://h.example/custom/"
        );
        assert_eq!(join_url("https://h.example", "a"), "https://h.example/a");
    }
}
