//! Errors shared by every generated operation: what the service said (code, message, request
//! id), responses that could not be read, and input rejected before sending.

use std::fmt;

use crate::json::{JsonError, JsonReader};

/// What an error response said about itself, beyond the modelled members.
///
/// One pointer wide, so error enums that carry it stay small.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    fields: Option<Box<MetaFields>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct MetaFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
}

impl ErrorMeta {
    fn fields_mut(&mut self) -> &mut MetaFields {
        self.fields.get_or_insert_with(Box::default)
    }

    /// Metadata with the given code, for tests and custom parsers.
    pub fn new(code: impl Into<String>) -> Self {
        let mut meta = Self::default();
        meta.fields_mut().code = Some(code.into());
        meta
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.fields_mut().message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.fields_mut().request_id = Some(request_id.into());
        self
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.fields_mut().status = Some(status);
        self
    }

    /// The error code, such as `ResourceNotFoundException`.
    pub fn code(&self) -> Option<&str> {
        self.fields.as_ref()?.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.fields.as_ref()?.message.as_deref()
    }

    /// The id AWS gave the request (`x-amzn-RequestId`), for support cases.
    pub fn request_id(&self) -> Option<&str> {
        self.fields.as_ref()?.request_id.as_deref()
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.fields.as_ref()?.status
    }

    /// Reads code, message and request id from an error response, the way AWS SDKs do for
    /// rest-json: the code from the `x-amzn-ErrorType` header (anything after `:` dropped),
    /// else the body's `__type` or `code` (anything before `#` dropped); the message from the
    /// body's `message` or `Message` (or the `x-amzn-ErrorMessage` header); the request id from
    /// `x-amzn-RequestId` (or `x-amz-request-id`). A body that is not JSON is not an error
    /// here: the code then comes from the header alone.
    pub fn from_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> Self {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let fields = body_fields(body);
        let code = header("x-amzn-errortype")
            .map(sanitize_code)
            .or_else(|| fields.code.as_deref().map(sanitize_code))
            .filter(|code| !code.is_empty())
            .map(str::to_owned);
        let message = fields
            .message
            .or_else(|| header("x-amzn-errormessage").map(str::to_owned));
        let request_id = header("x-amzn-requestid")
            .or_else(|| header("x-amz-request-id"))
            .map(str::to_owned);
        let fields = MetaFields {
            code,
            message,
            request_id,
            status: Some(status),
        };
        Self {
            fields: Some(Box::new(fields)),
        }
    }
}

/// `aws.protocoltests#Foo:http://...` -> `Foo`: drop everything after `:` and up to `#`.
pub fn sanitize_code(raw: &str) -> &str {
    let without_uri = raw.split(':').next().unwrap_or(raw);
    let name = without_uri.rsplit('#').next().unwrap_or(without_uri);
    name.trim()
}

/// The code and message fields of an error body, if it is a JSON object.
#[derive(Default)]
struct BodyFields {
    code: Option<String>,
    message: Option<String>,
}

fn body_fields(body: &[u8]) -> BodyFields {
    let mut fields = BodyFields::default();
    let mut type_field = None;
    let mut code_field = None;
    let mut reader = JsonReader::new(body);
    let parsed = reader.object(|r, key| {
        match &*key {
            "__type" => type_field = read_opt_string(r)?,
            "code" | "Code" => code_field = read_opt_string(r)?,
            "message" | "Message" | "errorMessage" => {
                let message = read_opt_string(r)?;
                if fields.message.is_none() {
                    fields.message = message;
                }
            }
            _ => r.skip()?,
        }
        Ok(())
    });
    if parsed.is_err() {
        return BodyFields::default();
    }
    fields.code = type_field.or(code_field);
    fields
}

/// A string, or `None` for null or any non-string value.
fn read_opt_string(r: &mut JsonReader<'_>) -> Result<Option<String>, JsonError> {
    if r.take_null()? {
        return Ok(None);
    }
    match r.string() {
        Ok(s) => Ok(Some(s)),
        Err(_) => r.skip().map(|()| None),
    }
}

/// Error codes AWS uses for throttling; a call that failed with one may be retried later.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "LambdaThrottledException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes for transient service-side failures.
pub const TRANSIENT_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// Whether an error with this code and status is worth retrying: a throttling or transient
/// code, HTTP 429, or a 5xx status other than 501.
pub fn is_retryable(code: Option<&str>, status: Option<u16>) -> bool {
    let by_code =
        code.is_some_and(|c| THROTTLING_CODES.contains(&c) || TRANSIENT_CODES.contains(&c));
    let by_status = status.is_some_and(|s| s == 429 || (500..600).contains(&s) && s != 501);
    by_code || by_status
}

/// What every error the service returned offers, modelled or not.
pub trait ServiceError: std::error::Error + Send + Sync + 'static {
    /// Code, message, request id and status as the response gave them.
    fn meta(&self) -> &ErrorMeta;

    /// The error code, such as `ResourceNotFoundException`.
    fn code(&self) -> &str;

    /// The human-readable message, if there is one.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }

    /// The id AWS gave the request, for support cases.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }

    /// Whether trying again later may succeed (throttling, 429, 5xx).
    fn is_retryable(&self) -> bool {
        is_retryable(Some(self.code()), self.meta().status())
    }
}

/// An error response whose code the operation does not model.
#[derive(Clone, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMeta,
    body: Vec<u8>,
}

impl Unhandled {
    /// An unmodelled error with its metadata and the raw body.
    pub fn new(meta: ErrorMeta, body: Vec<u8>) -> Self {
        Self { meta, body }
    }

    /// Code, message, request id and status.
    pub fn meta(&self) -> &ErrorMeta {
        &self.meta
    }

    /// The response body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Debug for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unhandled")
            .field("meta", &self.meta)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_service_error(
            f,
            &self.meta,
            self.meta.code().unwrap_or("unknown error"),
            self.meta.message(),
        )
    }
}

impl std::error::Error for Unhandled {}

impl ServiceError for Unhandled {
    fn meta(&self) -> &ErrorMeta {
        &self.meta
    }

    fn code(&self) -> &str {
        self.meta.code().unwrap_or("Unknown")
    }
}

/// Writes `code: message (status 404, request id abc)`, the `Display` of every service error.
pub fn write_service_error(
    f: &mut fmt::Formatter<'_>,
    meta: &ErrorMeta,
    code: &str,
    message: Option<&str>,
) -> fmt::Result {
    f.write_str(code)?;
    if let Some(message) = message.filter(|m| !m.is_empty()) {
        write!(f, ": {message}")?;
    }
    match (meta.status(), meta.request_id()) {
        (Some(status), Some(id)) => write!(f, " (HTTP {status}, request id {id})"),
        (Some(status), None) => write!(f, " (HTTP {status})"),
        (None, Some(id)) => write!(f, " (request id {id})"),
        (None, None) => Ok(()),
    }
}

/// A response that could not be read: bad JSON, a wrong type, an unparsable header.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseError {
    what: String,
    status: u16,
    request_id: Option<String>,
    body: Vec<u8>,
}

impl ResponseError {
    /// A response with `status` and `headers` could not be read because of `what`.
    pub fn new(
        what: impl Into<String>,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Self {
        let request_id = headers
            .get("x-amzn-requestid")
            .or_else(|| headers.get("x-amz-request-id"))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self {
            what: what.into(),
            status,
            request_id,
            body: body.to_vec(),
        }
    }

    /// What could not be read.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Debug for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseError")
            .field("what", &self.what)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unreadable response (HTTP {}): {}",
            self.status, self.what
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseError {}

/// Input that breaks a constraint of the model; the request was not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    path: String,
    rule: String,
}

impl ValidationError {
    /// The value at `path` (model member names, such as `RecordPatches[0].Key`) breaks `rule`.
    pub fn new(path: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            rule: rule.into(),
        }
    }

    /// Where the bad value is, in the model's member names.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The rule it breaks, such as `length 0 is below the minimum 1`.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid input: {}: {}", self.path, self.rule)
    }
}

impl std::error::Error for ValidationError {}

impl From<crate::BuildError> for ValidationError {
    /// A required member left unset is a validation failure of the input: the path is
    /// `Type.member` in the generated crate's Rust names.
    fn from(error: crate::BuildError) -> Self {
        ValidationError::new(
            format!("{}.{}", error.type_name(), error.member()),
            "required member is not set",
        )
    }
}

/// What the client needs from an operation's error enum: how to wrap input rejected before
/// sending, and the code and HTTP status that decide about retries. [`error_impls!`](crate::error_impls)
/// implements it for every generated error enum.
pub trait OperationError: std::error::Error + Send + Sync + Sized + 'static {
    /// The error for input that breaks a constraint (or lacks a required member).
    fn from_validation(error: ValidationError) -> Self;

    /// The service's error code, if the service answered with an error.
    fn error_code(&self) -> Option<&str>;

    /// The HTTP status of the response the error came from, if there was one.
    fn http_status(&self) -> Option<u16>;
}

/// Implements the helpers every generated error enum offers: `service_error()`, `code()`,
/// `message()`, `request_id()`, `is_retryable()`, `Display`, `Error` and
/// [`OperationError`](crate::error::OperationError).
///
/// The enum must have a tuple variant for each listed modelled error (each holding a type
/// that implements [`ServiceError`]) plus `Unhandled(Unhandled)`,
/// `Validation(ValidationError)` and `Response(ResponseError)`.
#[macro_export]
macro_rules! error_impls {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl $name {
            /// The error as the service returned it; `None` for `Validation` and `Response`.
            pub fn service_error(&self) -> Option<&dyn $crate::error::ServiceError> {
                match self {
                    $( Self::$variant(e) => Some(e), )*
                    Self::Unhandled(e) => Some(e),
                    Self::Validation(_) | Self::Response(_) => None,
                }
            }

            /// The error code, such as `ResourceNotFoundException`.
            pub fn code(&self) -> Option<&str> {
                self.service_error().map(|e| e.code())
            }

            /// The service's message, if any.
            pub fn message(&self) -> Option<&str> {
                self.service_error().and_then(|e| e.message())
            }

            /// The id AWS gave the request, if a response was received.
            pub fn request_id(&self) -> Option<&str> {
                match self {
                    Self::Response(e) => e.request_id(),
                    _ => self.service_error().and_then(|e| e.request_id()),
                }
            }

            /// Whether trying again later may succeed: throttling, HTTP 429 or 5xx.
            pub fn is_retryable(&self) -> bool {
                match self {
                    Self::Response(e) => e.status() >= 500,
                    _ => self.service_error().is_some_and(|e| e.is_retryable()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $( Self::$variant(e) => ::std::fmt::Display::fmt(e, f), )*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                    Self::Validation(e) => ::std::fmt::Display::fmt(e, f),
                    Self::Response(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $( Self::$variant(e) => Some(e), )*
                    Self::Unhandled(e) => Some(e),
                    Self::Validation(e) => Some(e),
                    Self::Response(e) => Some(e),
                }
            }
        }

        impl $crate::error::OperationError for $name {
            fn from_validation(error: $crate::error::ValidationError) -> Self {
                Self::Validation(error)
            }

            fn error_code(&self) -> Option<&str> {
                self.code()
            }

            fn http_status(&self) -> Option<u16> {
                match self {
                    Self::Response(e) => Some(e.status()),
                    _ => self.service_error().and_then(|e| e.meta().status()),
                }
            }
        }
    };
}

/// Implements `From<$name> for $target` (the service error), variant for variant; the
/// service error must have every listed variant.
#[macro_export]
macro_rules! into_service_error {
    ($name:ident => $target:path { $($variant:ident),* $(,)? }) => {
        impl From<$name> for $target {
            fn from(error: $name) -> Self {
                match error {
                    $( $name::$variant(e) => Self::$variant(e), )*
                    $name::Unhandled(e) => Self::Unhandled(e),
                    $name::Validation(e) => Self::Validation(e),
                    $name::Response(e) => Self::Response(e),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, http::HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn code_comes_from_the_header_first() {
        let meta = ErrorMeta::from_response(
            400,
            &headers(&[
                (
                    "x-amzn-errortype",
                    "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                ),
                ("x-amzn-requestid", "req-1"),
            ]),
            br#"{"__type": "Other", "message": "Hi"}"#,
        );
        assert_eq!(meta.code(), Some("FooError"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("req-1"));
        assert_eq!(meta.status(), Some(400));
    }

    #[test]
    fn code_from_body_type_or_code_with_namespace_dropped() {
        let none = headers(&[]);
        let meta = ErrorMeta::from_response(
            400,
            &none,
            br#"{"__type": "aws.protocoltests.restjson#FooError", "Message": "m"}"#,
        );
        assert_eq!((meta.code(), meta.message()), (Some("FooError"), Some("m")));
        let meta = ErrorMeta::from_response(
            400,
            &none,
            br#"{"code": "aws.protocoltests.restjson#FooError:http://x"}"#,
        );
        assert_eq!(meta.code(), Some("FooError"));
        let meta = ErrorMeta::from_response(500, &none, b"<html>oops</html>");
        assert_eq!((meta.code(), meta.message()), (None, None));
        let meta = ErrorMeta::from_response(500, &none, br#"{"message": 12, "code": null}"#);
        assert_eq!((meta.code(), meta.message()), (None, None));
    }

    #[test]
    fn retryable_by_code_or_status() {
        assert!(is_retryable(Some("TooManyRequestsException"), Some(400)));
        assert!(is_retryable(Some("Whatever"), Some(503)));
        assert!(is_retryable(None, Some(429)));
        assert!(!is_retryable(Some("ResourceNotFoundException"), Some(404)));
        assert!(!is_retryable(None, Some(501)));
    }

    #[test]
    fn displays_code_message_status_and_request_id() {
        let meta = ErrorMeta::new("Boom")
            .with_message("it broke")
            .with_status(500)
            .with_request_id("abc");
        let unhandled = Unhandled::new(meta, b"{}".to_vec());
        assert_eq!(
            unhandled.to_string(),
            "Boom: it broke (HTTP 500, request id abc)"
        );
        let err = ResponseError::new(
            "invalid JSON at byte 3",
            200,
            &headers(&[("x-amzn-requestid", "r")]),
            b"{x",
        );
        assert_eq!(
            err.to_string(),
            "unreadable response (HTTP 200): invalid JSON at byte 3 (request id r)"
        );
        let err = ValidationError::new("RecordPatches[0].Key", "length 0 is below the minimum 1");
        assert_eq!(
            err.to_string(),
            "invalid input: RecordPatches[0].Key: length 0 is below the minimum 1"
        );
    }
}
