//! What the client reports through `tracing` (feature `tracing`): one span per call and an
//! event per attempt outcome and per retry. Without the feature every function here is an
//! empty inline function, so call sites need no `cfg`.
//!
//! Nothing secret is ever recorded: no headers, no bodies, no credentials; only the service,
//! operation, region, attempt number, HTTP status, request id, error code and retry reason.
//! Events use the target `botogen_runtime::client`.

#![cfg_attr(not(feature = "tracing"), allow(unused_variables))]

use std::time::Duration;

/// The span a call runs in; `Span` when tracing is on, nothing otherwise.
#[cfg(feature = "tracing")]
pub(crate) type CallSpan = tracing::Span;

/// The span a call runs in; `Span` when tracing is on, nothing otherwise.
#[cfg(not(feature = "tracing"))]
pub(crate) struct CallSpan;

/// Opens the span of one call.
#[inline]
pub(crate) fn call_span(service: &str, operation: &str, region: &str) -> CallSpan {
    #[cfg(feature = "tracing")]
    {
        tracing::debug_span!(
            target: "botogen_runtime::client",
            "call",
            service,
            operation,
            region
        )
    }
    #[cfg(not(feature = "tracing"))]
    CallSpan
}

/// Runs `future` inside `span`.
#[cfg(feature = "tracing")]
pub(crate) async fn in_span<F: std::future::Future>(span: CallSpan, future: F) -> F::Output {
    use tracing::Instrument;
    future.instrument(span).await
}

/// Runs `future` inside `span`.
#[cfg(not(feature = "tracing"))]
#[inline]
pub(crate) async fn in_span<F: std::future::Future>(_span: CallSpan, future: F) -> F::Output {
    future.await
}

/// An attempt got an HTTP response.
#[inline]
pub(crate) fn attempt_response(attempt: u32, status: u16, request_id: Option<&str>) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        target: "botogen_runtime::client",
        attempt,
        status,
        request_id,
        "response received"
    );
}

/// An attempt got no response.
#[inline]
pub(crate) fn attempt_failed(attempt: u32, error: &dyn std::error::Error) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        target: "botogen_runtime::client",
        attempt,
        error = %error,
        "no response"
    );
}

/// The call will be tried again after `delay`.
#[inline]
pub(crate) fn retrying(attempt: u32, reason: &str, code: Option<&str>, delay: Duration) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        target: "botogen_runtime::client",
        attempt,
        reason,
        code,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        "retrying"
    );
}

/// The clock skew was corrected after a clock-skew error.
#[inline]
pub(crate) fn skew_corrected(attempt: u32, skew_seconds: i64) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        target: "botogen_runtime::client",
        attempt,
        skew_seconds,
        "clock skew corrected; retrying"
    );
}

/// The call ended; `outcome` is `ok`, or what failed.
#[inline]
pub(crate) fn call_finished(attempts: u32, outcome: &str) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        target: "botogen_runtime::client",
        attempts,
        outcome,
        "call finished"
    );
}
