//! The request log: what the server received and how it answered, for tests to inspect
//! ([`CognitoServer::requests`](super::CognitoServer::requests)).
//!
//! Every request read as HTTP is logged once it is answered (or dropped); bytes that are not
//! a request the server can read are not.

use super::faults::FaultKind;
use super::sigv4_check::SignatureVerdict;

/// One request and the server's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// The `x-amzn-RequestId` the server gave the request (sent with the response, if any).
    pub request_id: String,
    /// The operation the method and path route to; `None` if no emulated operation has them.
    pub operation: Option<&'static str>,
    /// The method.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query as sent (without `?`); empty if none.
    pub query: String,
    /// The headers in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The outcome of the signature check.
    pub signature: SignatureVerdict,
    /// The fault the request took, if any (only requests with a valid signature take one).
    pub fault: Option<FaultKind>,
    /// The status of the HTTP response; `None` when none was written (the connection was
    /// dropped, or a raw fault wrote its own bytes).
    pub status: Option<u16>,
}

impl RequestRecord {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (bytes that are not UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
