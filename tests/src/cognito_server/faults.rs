//! Fault injection: answers that replace or spoil the server's normal one.

use std::collections::VecDeque;
use std::time::Duration;

/// What happens to the request that takes a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// An error response with this status, `x-amzn-ErrorType: <code>` and
    /// `{"message": <message>}`, as the service sends them (429 `TooManyRequestsException`,
    /// 500 `InternalErrorException`, ...). The request is **not** applied.
    Status {
        /// The HTTP status.
        status: u16,
        /// The error code, such as `TooManyRequestsException`.
        code: String,
        /// The error message.
        message: String,
    },
    /// The request is read, then the connection is closed without an answer. **Not** applied.
    DropConnection,
    /// The server waits this long, then handles the request normally: it **is** applied, even
    /// if the client gave up waiting (the "slow response" case).
    Delay(Duration),
    /// The request is handled normally (so it **is** applied when it succeeds), then the
    /// answer is corrupted: status 200 with the JSON body cut in half (the "response
    /// truncated by a proxy" case).
    InvalidJson,
    /// 200 with `Content-Type: text/html` and an HTML error page, as a captive portal or a
    /// misconfigured proxy answers. The request never reached the service: **not** applied.
    WrongContentType,
    /// These bytes are written to the socket as they are (any status line, headers and body,
    /// or garbage), then the connection is closed. **Not** applied; the log records no status.
    ///
    /// Put `Connection: close` in a well-formed raw response: without it a pooling client
    /// (reqwest) keeps the connection for its next request and finds it closed.
    Raw(Vec<u8>),
}

impl FaultKind {
    /// A [`FaultKind::Status`] error response.
    pub fn status(status: u16, code: &str, message: &str) -> Self {
        FaultKind::Status {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// 429 `TooManyRequestsException`, the service's throttling error.
    pub fn throttled() -> Self {
        FaultKind::status(429, "TooManyRequestsException", "Rate exceeded")
    }

    /// 500 `InternalErrorException`, the service's internal error.
    pub fn internal_error() -> Self {
        FaultKind::status(500, "InternalErrorException", "Internal server error")
    }

    /// Whether a request that takes this fault changes the server's state (if it would
    /// without the fault): true for [`Delay`](FaultKind::Delay) and
    /// [`InvalidJson`](FaultKind::InvalidJson), false for the others.
    pub fn applies_request(&self) -> bool {
        matches!(self, FaultKind::Delay(_) | FaultKind::InvalidJson)
    }
}

/// A queued fault: its kind and the operation it is for (any, if none).
///
/// Faults wait in a queue ([`CognitoServer::inject`](super::CognitoServer::inject)). Each
/// request whose signature is valid takes the first queued fault that applies to its
/// operation ([`Fault::any`] applies to every request, [`Fault::for_operation`] to one
/// operation only); requests rejected for their signature take none. A fault serves one
/// request: inject it three times to make three requests fail. Whether the request is
/// **applied** (changes the server's state) depends on the kind; see [`FaultKind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    operation: Option<String>,
    kind: FaultKind,
}

impl Fault {
    /// A fault for the next request, whatever its operation (even one that matches no route).
    pub fn any(kind: FaultKind) -> Self {
        Fault {
            operation: None,
            kind,
        }
    }

    /// A fault for the next request of `operation` (its model name, such as `UpdateRecords`);
    /// requests of other operations pass it by.
    pub fn for_operation(operation: &str, kind: FaultKind) -> Self {
        Fault {
            operation: Some(operation.to_owned()),
            kind,
        }
    }

    /// The operation the fault is for; `None` for any.
    pub fn operation(&self) -> Option<&str> {
        self.operation.as_deref()
    }

    /// What the fault does.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }

    fn matches(&self, operation: Option<&str>) -> bool {
        self.operation.is_none() || self.operation.as_deref() == operation
    }
}

impl From<FaultKind> for Fault {
    fn from(kind: FaultKind) -> Self {
        Fault::any(kind)
    }
}

/// The queue of faults not yet taken.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    faults: VecDeque<Fault>,
}

impl FaultQueue {
    /// Adds `fault` at the end.
    pub fn push(&mut self, fault: Fault) {
        self.faults.push_back(fault);
    }

    /// Removes and returns the first fault that applies to `operation`.
    pub fn take(&mut self, operation: Option<&str>) -> Option<FaultKind> {
        let index = self.faults.iter().position(|f| f.matches(operation))?;
        self.faults.remove(index).map(|fault| fault.kind)
    }

    /// How many faults are queued.
    pub fn len(&self) -> usize {
        self.faults.len()
    }

    /// Removes every queued fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }
}

/// The HTML page of [`FaultKind::WrongContentType`].
pub(crate) const HTML_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>\n";

/// The first half of `body`, which is not valid JSON when `body` is a JSON object or array.
pub(crate) fn truncate_json(body: &[u8]) -> Vec<u8> {
    let keep = (body.len() / 2).max(1).min(body.len());
    body[..keep].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_first_fault_that_applies() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::for_operation(
            "UpdateRecords",
            FaultKind::DropConnection,
        ));
        queue.push(FaultKind::throttled().into());
        queue.push(Fault::for_operation("ListRecords", FaultKind::InvalidJson));
        assert_eq!(
            queue.take(Some("ListRecords")),
            Some(FaultKind::throttled())
        );
        assert_eq!(
            queue.take(Some("ListRecords")),
            Some(FaultKind::InvalidJson)
        );
        assert_eq!(queue.take(None), None);
        assert_eq!(queue.len(), 1);
        assert_eq!(
            queue.take(Some("UpdateRecords")),
            Some(FaultKind::DropConnection)
        );
        assert_eq!(queue.len(), 0);
    }

    #[test]
    fn truncated_json_does_not_parse() {
        for body in ["{}", "{\"Records\":[]}", "[1,2,3]"] {
            let cut = truncate_json(body.as_bytes());
            assert!(serde_json::from_slice::<serde_json::Value>(&cut).is_err());
        }
        assert!(truncate_json(b"").is_empty());
    }
}
