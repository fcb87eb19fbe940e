//! Error responses as AWS rest-json services shape them: the status, an `x-amzn-ErrorType`
//! header with the code and the namespace of the code's model, and `{"message": "..."}`.

use super::http::Response;

/// The namespace of the service's own errors (those in the Cognito Sync model).
const SERVICE_NAMESPACE: &str =
    "http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/";

/// The namespace of errors raised by AWS's request handling before the service sees the
/// request (authentication, routing, deserialization).
const FRAMEWORK_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazon.coral.service/";

/// An error to answer with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The error code, such as `ResourceNotFoundException`.
    pub code: String,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error with any status and code.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// 400 `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        ApiError::new(400, "InvalidParameterException", message)
    }

    /// 404 `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(404, "ResourceNotFoundException", message)
    }

    /// 409 `ResourceConflictException`.
    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(409, "ResourceConflictException", message)
    }

    /// 400 `LimitExceededException`.
    pub fn limit_exceeded(message: impl Into<String>) -> Self {
        ApiError::new(400, "LimitExceededException", message)
    }

    /// 400 `SerializationException`: the body is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> Self {
        ApiError::new(400, "SerializationException", message)
    }

    /// 404 `UnknownOperationException`: no operation has this method and path.
    pub fn unknown_operation() -> Self {
        ApiError::new(404, "UnknownOperationException", "")
    }

    /// The response: status, `x-amzn-ErrorType`, `application/json` body with `message`.
    pub fn into_response(self) -> Response {
        let namespace = if is_framework_error(&self.code) {
            FRAMEWORK_NAMESPACE
        } else {
            SERVICE_NAMESPACE
        };
        let body = serde_json::json!({ "message": self.message }).to_string();
        Response::new(self.status, "application/json", body.into_bytes())
            .with_header("x-amzn-ErrorType", &format!("{}:{namespace}", self.code))
    }
}

/// Whether `code` is raised by AWS's request handling rather than by the service.
fn is_framework_error(code: &str) -> bool {
    matches!(
        code,
        "MissingAuthenticationTokenException"
            | "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "IncompleteSignatureException"
            | "SerializationException"
            | "UnknownOperationException"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_errors_like_aws() {
        let response = ApiError::not_found("gone").into_response();
        assert_eq!(response.status, 404);
        assert!(response.headers.contains(&(
            "x-amzn-ErrorType".to_owned(),
            "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"
                .to_owned()
        )));
        assert_eq!(response.body, br#"{"message":"gone"}"#);
        let auth = ApiError::new(403, "UnrecognizedClientException", "x").into_response();
        assert!(auth.headers[1].1.ends_with("com.amazon.coral.service/"));
    }
}
