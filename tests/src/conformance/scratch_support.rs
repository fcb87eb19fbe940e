//! Checks shared by the conformance tests: how a request is compared with botocore's
//! `serialized` expectation, and how a response is built from a case. In every assertion,
//! `left` is what the generated code did and `right` what the case expects.

/// What an input case expects of the serialized request.
pub struct ExpectedRequest {
    /// HTTP method.
    pub method: &'static str,
    /// Path and query exactly as expected on the wire.
    pub uri: &'static str,
    /// Headers that must be present with these values (names case-insensitive).
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be present with any value.
    pub require_headers: &'static [&'static str],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// The body: compared as JSON when it is JSON, else as bytes; empty means no body.
    pub body: &'static str,
}

/// Panics with a description of the first difference between `request` and `expected`.
pub fn check_request(request: &::http::Request<Vec<u8>>, expected: &ExpectedRequest) {
    assert_eq!(
        request.method().as_str(),
        expected.method,
        "method (left: generated, right: expected)"
    );
    check_uri(request, expected.uri);
    for (name, value) in expected.headers {
        let actual = header(request, name);
        assert_eq!(
            actual.as_deref().map(normalize_list),
            Some(normalize_list(value)),
            "header `{name}` (all headers: {:?})",
            request.headers()
        );
    }
    for name in expected.require_headers {
        assert!(
            header(request, name).is_some(),
            "header `{name}` is required (all headers: {:?})",
            request.headers()
        );
    }
    for name in expected.forbid_headers {
        assert_eq!(header(request, name), None, "header `{name}` is forbidden");
    }
    check_body(request.body(), expected.body);
}

/// Path exactly; query as the ordered list of raw `key=value` parts.
fn check_uri(request: &::http::Request<Vec<u8>>, expected: &str) {
    let (path, query) = expected.split_once('?').unwrap_or((expected, ""));
    assert_eq!(
        request.uri().path(),
        path,
        "path (whole URI: {})",
        request.uri()
    );
    let parts = |query: &str| -> Vec<String> {
        query
            .split('&')
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        parts(request.uri().query().unwrap_or("")),
        parts(query),
        "query (whole URI: {})",
        request.uri()
    );
}

/// The values of header `name`, joined with `,`, if any.
fn header(request: &::http::Request<Vec<u8>>, name: &str) -> Option<String> {
    let values: Vec<String> = request
        .headers()
        .get_all(name.to_ascii_lowercase().as_str())
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// botocore's runner treats `a, b` and `a,b` alike in list-valued headers.
fn normalize_list(value: &str) -> String {
    value.replace(", ", ",")
}

/// The body as JSON when the expectation is JSON, else as bytes.
fn check_body(actual: &[u8], expected: &str) {
    if expected.is_empty() {
        assert!(
            actual.is_empty(),
            "expected no body, got {:?}",
            String::from_utf8_lossy(actual)
        );
        return;
    }
    match ::serde_json::from_str::<::serde_json::Value>(expected) {
        Ok(expected_json) => {
            let actual_json = ::serde_json::from_slice::<::serde_json::Value>(actual)
                .unwrap_or_else(|e| {
                    panic!(
                        "body is not JSON ({e}): {:?}, expected {expected}",
                        String::from_utf8_lossy(actual)
                    )
                });
            assert_eq!(actual_json, expected_json, "body (as JSON)");
        }
        Err(_) => assert_eq!(String::from_utf8_lossy(actual), expected, "body (as bytes)"),
    }
}

/// A response with `status`, `headers` and `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> ::http::Response<Vec<u8>> {
    let mut builder = ::http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(
            *name,
            ::http::HeaderValue::from_bytes(value.as_bytes()).expect("header value"),
        );
    }
    builder
        .body(body.as_bytes().to_vec())
        .expect("a valid response")
}

/// Asserts that two values print the same `Debug` (so NaN equals NaN).
pub fn assert_same_debug<T: ::std::fmt::Debug>(actual: &T, expected: &T) {
    assert_eq!(
        format!("{actual:?}"),
        format!("{expected:?}"),
        "parsed output"
    );
}

/// The host the client sends `request` to under `endpoint` (its host prefix, if any, before
/// the endpoint's host) must be `expected` (`host[:port]`, then the endpoint's base path).
pub fn check_host(request: &::http::Request<Vec<u8>>, endpoint: &str, expected: &str) {
    let url = match ::botogen_runtime::rest::HostPrefix::of(request) {
        Some(prefix) => prefix.apply_to_url(endpoint),
        None => endpoint.to_owned(),
    };
    let uri: ::http::Uri = url
        .parse()
        .unwrap_or_else(|e| panic!("endpoint {url:?} with the host prefix: {e}"));
    let authority = uri.authority().map_or("", |a| a.as_str());
    let path = uri.path().trim_end_matches('/');
    assert_eq!(
        format!("{authority}{path}"),
        expected,
        "host (endpoint {endpoint:?}, request URI {})",
        request.uri()
    );
}
