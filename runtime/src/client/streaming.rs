//! Calls of operations with a streaming payload: [`invoke_streaming`] and
//! [`send_streaming`], the counterparts of [`invoke`](super::invoke) and
//! [`send`](super::send) whose request body and (2xx) response body are [`ByteStream`]s.
//!
//! - **Request body.** Sent from the stream through
//!   [`HttpClient::send_streaming`](crate::transport::HttpClient::send_streaming), with a
//!   `Content-Length` from [`ByteStream::content_length`] when known. Under
//!   [`AuthScheme::SigV4UnsignedPayload`] the signature covers `UNSIGNED-PAYLOAD`, so the
//!   body is never read ahead; under [`AuthScheme::SigV4`] a body that is not in memory is
//!   read into memory first, since its SHA-256 is part of the signature.
//! - **Retries** work as for other calls while the body can be sent again: a body in memory
//!   (including one buffered for signing) or a file not yet read
//!   ([`ByteStream::try_clone`]). A body made from a caller's stream is sent once, and a
//!   failure of that attempt is final.
//! - **Response.** A 2xx response's head (status and headers) is parsed at once and its body
//!   handed over unread in the output, so the caller reads it while it downloads. Any other
//!   status is read whole and parsed, classified and retried as by [`invoke`](super::invoke).
//! - **Timeouts.** The per-attempt read timeout and the call timeout end when the output is
//!   returned, that is when a 2xx response head is in; reading the body afterwards has no
//!   deadline from the client (wrap reads in your own timeout if you need one).

use super::{
    AuthScheme, InvokeError, OperationSpec, add_user_agent, apply_endpoint, authenticate,
    learn_skew, outcome_name, request_id, resolve_endpoint, sleep,
};
use crate::error::{OperationError, ValidationError};
use crate::retry::{RetryKind, classify as classify_retry};
use crate::sigv4::is_clock_skew_error;
use crate::trace;
use crate::transport::{TransportError, with_timeout};
use crate::validate::Validation;
use crate::{BuildError, ByteStream};

/// Reads the head of a 2xx response to an operation whose output payload is a stream,
/// keeping the body as it is: a generated `parse_streaming_output`.
pub type ParseStreaming<O, E> = fn(u16, &http::HeaderMap, ByteStream) -> Result<O, E>;

/// [`invoke`](super::invoke) for a request whose body is a [`ByteStream`] and, when
/// `parse_streaming` is given, an output whose payload is the response body, unread; see the
/// module documentation. `parse` reads responses that are not handed over as a stream (all
/// of them without `parse_streaming`, else those with a status other than 2xx).
///
/// # Errors
///
/// As [`invoke`](super::invoke); a request body that fails to read is a
/// [`TransportError`].
pub async fn invoke_streaming<O, E>(
    config: &super::ClientConfig,
    operation: impl Into<OperationSpec>,
    request: http::Request<ByteStream>,
    parse: impl Fn(&http::Response<Vec<u8>>) -> Result<O, E>,
    parse_streaming: Option<ParseStreaming<O, E>>,
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
            &parse,
            parse_streaming,
            &classify,
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

/// [`send`](super::send) for operations with a streaming payload: `serialize` builds the
/// request (its body, if any, is replaced by the stream `take_body` moves out of the input,
/// when it returns one), then as [`invoke_streaming`].
///
/// # Errors
///
/// As [`invoke_streaming`]; input rejected before sending is [`InvokeError::Service`]
/// holding the operation error's validation variant.
#[allow(clippy::too_many_arguments)]
pub async fn send_streaming<I, O, E: OperationError>(
    config: &super::ClientConfig,
    operation: impl Into<OperationSpec>,
    input: Result<I, BuildError>,
    validation: Validation,
    serialize: impl FnOnce(&I, Validation) -> Result<http::Request<Vec<u8>>, E>,
    take_body: impl FnOnce(I) -> Option<ByteStream>,
    parse: impl Fn(&http::Response<Vec<u8>>) -> Result<O, E>,
    parse_streaming: Option<ParseStreaming<O, E>>,
) -> Result<O, InvokeError<E>> {
    let input =
        input.map_err(|e| InvokeError::Service(E::from_validation(ValidationError::from(e))))?;
    let request = serialize(&input, validation).map_err(InvokeError::Service)?;
    let (mut parts, body) = request.into_parts();
    let body = match take_body(input) {
        Some(stream) => {
            if stream.as_bytes().is_none() {
                // `serialize_request` left the body out; it is sent from the stream.
                parts.headers.remove(http::header::CONTENT_LENGTH);
            }
            stream
        }
        None => ByteStream::from(body),
    };
    invoke_streaming(
        config,
        operation,
        http::Request::from_parts(parts, body),
        parse,
        parse_streaming,
        |e: &E| (e.error_code().map(str::to_owned), e.http_status()),
    )
    .await
}

/// Where each attempt's body comes from.
enum Body {
    /// Copied for each attempt.
    Reusable(ByteStream),
    /// Sent once.
    Once(Option<ByteStream>),
}

impl Body {
    fn next(&mut self) -> Option<ByteStream> {
        match self {
            Body::Reusable(body) => body.try_clone(),
            Body::Once(body) => body.take(),
        }
    }

    fn can_resend(&self) -> bool {
        matches!(self, Body::Reusable(_))
    }
}

/// The call without its overall timeout; counts the attempts made in `attempts`.
async fn run<O, E>(
    config: &super::ClientConfig,
    auth: AuthScheme,
    request: http::Request<ByteStream>,
    parse: &impl Fn(&http::Response<Vec<u8>>) -> Result<O, E>,
    parse_streaming: Option<ParseStreaming<O, E>>,
    classify: &impl Fn(&E) -> (Option<String>, Option<u16>),
    attempts: &mut u32,
) -> Result<O, InvokeError<E>> {
    let (parts, mut body) = request.into_parts();
    if auth == AuthScheme::SigV4 && body.as_bytes().is_none() {
        // The signature covers the body's hash: read it now.
        body = ByteStream::from(body.collect().await.map_err(|e| {
            InvokeError::Transport(
                TransportError::other("cannot read the request body").with_source(e),
            )
        })?);
    }
    let mut body = match body.try_clone() {
        Some(_) => Body::Reusable(body),
        None => Body::Once(Some(body)),
    };
    // The head, with the body bytes that are signed (none under `UNSIGNED-PAYLOAD`).
    let signed_body = match (auth, body_bytes(&body)) {
        (AuthScheme::SigV4, Some(bytes)) => Vec::from(bytes),
        _ => Vec::new(),
    };
    let mut head = http::Request::from_parts(parts, signed_body);
    let endpoint = resolve_endpoint(config).map_err(InvokeError::Endpoint)?;
    head = apply_endpoint(head, &endpoint, !config.disable_host_prefix)?;
    add_user_agent(&mut head);
    let strategy = config.retry();
    let mut attempt: u32 = 1;
    let mut last_retry: Option<RetryKind> = None;
    let mut skew_retried = false;
    loop {
        *attempts = attempt;
        let Some(attempt_body) = body.next() else {
            // Only reached after a failed attempt with a body that cannot be sent again.
            return Err(InvokeError::Transport(TransportError::other(
                "the request body is a stream that was already sent; it cannot be retried",
            )));
        };
        let mut signed = super::copy_request(&head);
        authenticate(config, auth, &mut signed)?;
        let (mut attempt_parts, _) = signed.into_parts();
        if let Some(length) = attempt_body.content_length() {
            attempt_parts
                .headers
                .entry(http::header::CONTENT_LENGTH)
                .or_insert_with(|| http::HeaderValue::from(length));
        }
        let request = http::Request::from_parts(attempt_parts, attempt_body);
        let sent = config.http.send_streaming(request, &config.timeouts).await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                trace::attempt_failed(attempt, &error);
                if !error.is_transient() || !body.can_resend() {
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
        let status = response.status().as_u16();
        let (response_parts, response_body) = response.into_parts();
        if let (Some(parse_streaming), true) = (parse_streaming, (200..300).contains(&status)) {
            {
                let id = ["x-amzn-requestid", "x-amz-request-id"]
                    .iter()
                    .find_map(|name| response_parts.headers.get(*name))
                    .and_then(|value| value.to_str().ok());
                trace::attempt_response(attempt, status, id);
            }
            let output = parse_streaming(status, &response_parts.headers, response_body)
                .map_err(InvokeError::Service)?;
            strategy.on_success(last_retry);
            return Ok(output);
        }
        // Not handed over: read whole, within the read timeout.
        let read = with_timeout(config.timeouts.read, response_body.collect()).await;
        let bytes = match read {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => {
                let error = TransportError::new(
                    crate::transport::TransportErrorKind::Io,
                    "connection failed while reading the response",
                )
                .with_source(e);
                trace::attempt_failed(attempt, &error);
                let kind = classify_retry(None, None, true);
                match strategy.should_retry(attempt, kind) {
                    Some(delay) if body.can_resend() => {
                        trace::retrying(attempt, kind.reason(), None, delay);
                        sleep(delay).await.map_err(InvokeError::Transport)?;
                        last_retry = Some(kind);
                        attempt = attempt.saturating_add(1);
                        continue;
                    }
                    _ => return Err(InvokeError::Transport(error)),
                }
            }
            Err(timeout) => {
                trace::attempt_failed(attempt, &timeout);
                return Err(InvokeError::Transport(timeout));
            }
        };
        let response = http::Response::from_parts(response_parts, Vec::from(bytes));
        trace::attempt_response(attempt, status, request_id(&response));
        let error = match parse(&response) {
            Ok(output) => {
                strategy.on_success(last_retry);
                return Ok(output);
            }
            Err(error) => error,
        };
        if !body.can_resend() {
            return Err(InvokeError::Service(error));
        }
        let (code, status) = classify(&error);
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

/// The body's bytes, when they are in memory.
fn body_bytes(body: &Body) -> Option<&[u8]> {
    match body {
        Body::Reusable(body) => body.as_bytes().map(|b| &b[..]),
        Body::Once(body) => body.as_ref()?.as_bytes().map(|b| &b[..]),
    }
}
