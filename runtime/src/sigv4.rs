//! AWS Signature Version 4: signing requests with the `Authorization` header.
//!
//! [`sign`] adds `x-amz-date`, `x-amz-security-token` (with temporary credentials; it is
//! signed), optionally `x-amz-content-sha256`, and `authorization` to an `http::Request`:
//!
//! ```
//! use botogen_runtime::DateTime;
//! use botogen_runtime::sigv4::{sign, Credentials, SigningParams};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let time: DateTime = "2015-08-30T12:36:00Z".parse()?;
//! let params = SigningParams::new(&credentials, "us-east-1", "service", time);
//! let mut request = http::Request::builder()
//!     .uri("https://example.amazonaws.com/")
//!     .body(Vec::new())?;
//! sign(&mut request, &params)?;
//! assert_eq!(
//!     request.headers()["authorization"],
//!     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
//!      SignedHeaders=host;x-amz-date, \
//!      Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The canonical request is built as AWS specifies it for every service but S3, like botocore
//! and the official Rust SDK do:
//!
//! * **Path**: the path as it is on the wire (labels already percent-encoded by the
//!   serializer), with empty, `.` and `..` segments removed (RFC 3986 dot-segment removal:
//!   `/a/b/.` is `/a/b/`, as in `aws-sigv4`, where botocore alone gives `/a/b`), then
//!   percent-encoded **again**, keeping only unreserved characters and `/`. So
//!   `/identitypools/us-east-1%3Aabc` is signed as `/identitypools/us-east-1%253Aabc`, which
//!   is what the services check.
//! * **Query**: each `key=value` pair is decoded (`%XX`, and `+` as a space, as servers
//!   decode query strings), encoded again with only unreserved characters kept, and the pairs
//!   are sorted by key, then value. A key without `=` gets an empty value.
//! * **Headers**: every header of the request except `authorization`, `expect`,
//!   `transfer-encoding`, `user-agent` and `x-amzn-trace-id` (which proxies and HTTP stacks
//!   change), plus `host` (from the URI authority, default ports omitted, when the request
//!   has no `host` header) and the headers added by signing; names in lower case, values
//!   trimmed of spaces and tabs with inner runs of spaces collapsed to one, the values of a
//!   repeated header joined with `,` in request order, sorted by name.
//! * **Payload**: the hex SHA-256 of the body, `UNSIGNED-PAYLOAD`, or a precomputed hash
//!   ([`PayloadHash`]).
//!
//! The intermediate steps are public for tests and debugging: [`canonical_request`],
//! [`string_to_sign`] and [`signing_key`]. Note that the canonical request contains the
//! session token in clear when there is one: do not log it in production.
//!
//! `tests/sigv4_suite.rs` runs the AWS SigV4 test suite (all 34 cases) and
//! `tests/sigv4_aws_sdk.rs` compares signatures with the AWS SDK for Rust's `aws-sigv4` on
//! generated Cognito Sync requests.
//!
//! Clock skew: when a service rejects a request because the client clock is off
//! ([`is_clock_skew_error`]), [`skew_from_response`] reads the offset from the response's
//! `Date` header, and [`apply_skew`] corrects the time used for the next signature.

use std::error::Error;
use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::DateTime;

/// The algorithm name that starts the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The payload hash of a request whose body is not signed ([`PayloadHash::Unsigned`]).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Error codes with which AWS services reject a request signed with a clock that is off;
/// see [`is_clock_skew_error`].
pub const CLOCK_SKEW_ERROR_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
const AUTHORIZATION: &str = "authorization";
const HOST: &str = "host";

/// Headers never signed: the signature itself, and headers that proxies or HTTP stacks add,
/// remove or rewrite on the way (botocore's list, plus `authorization`).
const UNSIGNED_HEADERS: [&str; 5] = [
    AUTHORIZATION,
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// AWS credentials: an access key id, its secret, and the session token of temporary
/// credentials.
///
/// `Debug` prints the access key id only; the secret and the token print as `***`:
///
/// ```
/// use botogen_runtime::sigv4::Credentials;
///
/// let credentials = Credentials::new("AKID", "secret", Some("token".to_owned()));
/// assert_eq!(
///     format!("{credentials:?}"),
///     r#"Credentials { access_key_id: "AKID", secret_access_key: ***, session_token: Some(***) }"#,
/// );
/// ```
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from an access key id, its secret access key and, for temporary
    /// credentials (STS), the session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    /// The access key id (`AKIA...`, `ASIA...`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

/// Prints `***` in `Debug` output, whatever it stands for.
struct Stars;

impl fmt::Debug for Stars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &Stars)
            .field("session_token", &self.session_token.as_ref().map(|_| Stars))
            .finish()
    }
}

/// What the signature says about the body: the last line of the canonical request, and the
/// value of `x-amz-content-sha256` when that header is added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadHash {
    /// The hex SHA-256 of the request body, computed while signing (the default).
    #[default]
    Sha256OfBody,
    /// `UNSIGNED-PAYLOAD`: the body is not signed (only services that accept it, over TLS).
    Unsigned,
    /// A hash computed by the caller (lowercase hex SHA-256 of the body, or a value a
    /// service defines, such as S3's `STREAMING-...` ones), used as it is.
    Precomputed(String),
}

/// The inputs of a signature besides the request.
///
/// Build it with [`SigningParams::new`] and the `with_*` methods; the fields are public to
/// read and change.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The region of the endpoint, such as `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, such as `cognito-sync`.
    pub service: &'a str,
    /// The time of signing (`DateTime::from(SystemTime::now())`, corrected by [`apply_skew`]
    /// if the clock is known to be off). Fractions of a second are dropped.
    pub time: DateTime,
    /// How the body is represented in the signature; [`PayloadHash::Sha256OfBody`] by default.
    pub payload: PayloadHash,
    /// Whether to add (and sign) `x-amz-content-sha256` with the payload hash. S3 needs it;
    /// rest-json services do not. `false` by default.
    pub add_content_sha256_header: bool,
}

impl<'a> SigningParams<'a> {
    /// Parameters to sign for `service` in `region` at `time`, hashing the body and adding no
    /// `x-amz-content-sha256`.
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service: &'a str,
        time: DateTime,
    ) -> Self {
        SigningParams {
            credentials,
            region,
            service,
            time,
            payload: PayloadHash::default(),
            add_content_sha256_header: false,
        }
    }

    /// Sets how the body is represented in the signature.
    #[must_use]
    pub fn with_payload(mut self, payload: PayloadHash) -> Self {
        self.payload = payload;
        self
    }

    /// Sets whether `x-amz-content-sha256` is added.
    #[must_use]
    pub fn with_content_sha256_header(mut self, add: bool) -> Self {
        self.add_content_sha256_header = add;
        self
    }
}

/// Why a request could not be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The URI has no authority and the request no `host` header, so there is no host to sign.
    MissingHost,
    /// A header name is empty or has characters a header name cannot have.
    InvalidHeaderName(String),
    /// The value of this header (of the request, or one that signing adds, such as the session
    /// token or the `authorization` built from the access key id, region and service) is not
    /// UTF-8 text or contains control characters. The value is not included: it may be secret.
    InvalidHeaderValue(String),
    /// The signing time is outside the years 0001 to 9999.
    TimeOutOfRange,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::MissingHost => f.write_str(
                "cannot sign a request without a host: the URI has no authority and there is no `host` header",
            ),
            SigningError::InvalidHeaderName(name) => {
                write!(f, "cannot sign header name {name:?}: not a valid header name")
            }
            SigningError::InvalidHeaderValue(name) => write!(
                f,
                "cannot sign header `{name}`: its value is not UTF-8 text or contains control characters"
            ),
            SigningError::TimeOutOfRange => {
                f.write_str("cannot sign at a time outside the years 0001 to 9999")
            }
        }
    }
}

impl Error for SigningError {}

/// A request to sign, as borrowed views of its parts as they go on the wire.
///
/// Usually made from an `http::Request` (`SignableRequest::from(&request)`). [`new`](Self::new)
/// takes the URI as text instead, for requests that `http::Uri` cannot hold (the signature
/// test suite has a path with a raw space).
///
/// `Debug` prints header names but no header values (they may hold secrets) and the body
/// length only.
#[derive(Clone)]
pub struct SignableRequest<'a> {
    method: &'a str,
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    headers: Vec<(&'a str, &'a [u8])>,
    body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// A request with `method`, `uri` and `body` and no headers yet.
    ///
    /// `uri` is the text of the request target as sent: absolute
    /// (`https://host:port/path?query`) or relative (`/path?query`, then a `host` header is
    /// needed). It is split leniently and never rejected; a `#fragment` is ignored.
    pub fn new(method: &'a str, uri: &'a str, body: &'a [u8]) -> Self {
        let uri = uri.split_once('#').map_or(uri, |(before, _)| before);
        let (scheme, authority, path_and_query) = match uri.split_once("://") {
            Some((scheme, rest)) if is_scheme(scheme) => {
                let (authority, path_and_query) = match rest.find(['/', '?']) {
                    Some(end) => rest.split_at(end),
                    None => (rest, ""),
                };
                (Some(scheme), Some(authority), path_and_query)
            }
            _ => (None, None, uri),
        };
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        SignableRequest {
            method,
            scheme,
            authority,
            path,
            query,
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a header (repeat the call for a header with several values).
    #[must_use]
    pub fn header<V: AsRef<[u8]> + ?Sized>(mut self, name: &'a str, value: &'a V) -> Self {
        self.headers.push((name, value.as_ref()));
        self
    }
}

impl<'a, B: AsRef<[u8]>> From<&'a http::Request<B>> for SignableRequest<'a> {
    fn from(request: &'a http::Request<B>) -> Self {
        let uri = request.uri();
        SignableRequest {
            method: request.method().as_str(),
            scheme: uri.scheme_str(),
            authority: uri.authority().map(http::uri::Authority::as_str),
            path: uri.path(),
            query: uri.query(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_bytes()))
                .collect(),
            body: request.body().as_ref(),
        }
    }
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("scheme", &self.scheme)
            .field("authority", &self.authority)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// What signing adds to a request: the headers, in the order they are added, and the
/// signature.
///
/// `Debug` prints `x-amz-security-token` as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    headers: Vec<(&'static str, String)>,
    signature: String,
}

impl SigningOutput {
    /// The headers to set on the request (replacing any of the same name): `x-amz-date`,
    /// `x-amz-security-token` (with a session token), `x-amz-content-sha256` (when asked)
    /// and `authorization`. All values are valid header values.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }

    /// The value of header `name` (lower case) among [`headers`](Self::headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        self.header(AUTHORIZATION).unwrap_or_default()
    }

    /// The signature: 64 lowercase hex digits.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.headers {
            if *name == X_AMZ_SECURITY_TOKEN {
                map.entry(name, &Stars);
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// Signs `request` in place: sets `x-amz-date`, `x-amz-security-token` (when the credentials
/// have a session token), `x-amz-content-sha256` (when
/// [`add_content_sha256_header`](SigningParams::add_content_sha256_header) is set) and
/// `authorization`, replacing headers of those names.
///
/// The URI may be absolute, or relative with a `host` header. `host` is signed but not added:
/// without a `host` header, the HTTP client must send the URI's authority as the host (they
/// all do, leaving out default ports, as the signature does).
///
/// # Errors
///
/// When the request cannot be signed ([`SigningError`]); the request is then left unchanged.
pub fn sign<B: AsRef<[u8]>>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
) -> Result<(), SigningError> {
    let output = sign_request(&SignableRequest::from(&*request), params)?;
    let mut headers = Vec::with_capacity(output.headers.len());
    for (name, value) in output.headers() {
        let mut value = http::HeaderValue::from_str(value)
            .map_err(|_| SigningError::InvalidHeaderValue(name.to_owned()))?;
        value.set_sensitive(name == AUTHORIZATION || name == X_AMZ_SECURITY_TOKEN);
        headers.push((http::HeaderName::from_static(name), value));
    }
    for (name, value) in headers {
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

/// Computes the headers that sign `request` (see [`sign`]) without changing it.
///
/// # Errors
///
/// When the request cannot be signed ([`SigningError`]).
pub fn sign_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let prepared = prepare(request, params)?;
    let date = prepared.amz_date.get(..8).unwrap_or_default();
    let scope = credential_scope(date, params);
    let string_to_sign = build_string_to_sign(&prepared.amz_date, &scope, &prepared.canonical);
    let key = signing_key(
        params.credentials.secret_access_key(),
        date,
        params.region,
        params.service,
    );
    let signature = hex(&hmac_sha256(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        params.credentials.access_key_id(),
        prepared.signed_headers,
    );
    let mut headers = vec![(X_AMZ_DATE, prepared.amz_date)];
    if let Some(token) = params.credentials.session_token() {
        headers.push((X_AMZ_SECURITY_TOKEN, token.to_owned()));
    }
    if params.add_content_sha256_header {
        headers.push((X_AMZ_CONTENT_SHA256, prepared.payload_hash));
    }
    headers.push((AUTHORIZATION, authorization));
    for (name, value) in &headers {
        if !is_header_text(value) {
            return Err(SigningError::InvalidHeaderValue((*name).to_owned()));
        }
    }
    Ok(SigningOutput { headers, signature })
}

/// The canonical request of `request` as it will be signed (with the headers signing adds):
/// method, canonical URI, canonical query string, canonical headers, signed headers and
/// payload hash, on lines of their own.
///
/// It contains the session token, if any, in clear.
///
/// # Errors
///
/// When the request cannot be signed ([`SigningError`]).
pub fn canonical_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    prepare(request, params).map(|prepared| prepared.canonical)
}

/// The string to sign for `canonical_request` (as returned by [`canonical_request`]):
/// the algorithm, the time, the credential scope and the hex SHA-256 of the canonical request.
///
/// # Errors
///
/// [`SigningError::TimeOutOfRange`] when the time cannot be written.
pub fn string_to_sign(
    canonical_request: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    let amz_date = amz_date(params.time)?;
    let scope = credential_scope(amz_date.get(..8).unwrap_or_default(), params);
    Ok(build_string_to_sign(&amz_date, &scope, canonical_request))
}

/// The signing key: HMAC-SHA256 of `aws4_request`, keyed by the HMAC of `service`, keyed by
/// that of `region`, keyed by that of `date` (`YYYYMMDD`), keyed by `AWS4` + the secret.
///
/// It depends on the day, region and service only, so a client may cache it for the day.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut secret = Vec::with_capacity(4 + secret_access_key.len());
    secret.extend_from_slice(b"AWS4");
    secret.extend_from_slice(secret_access_key.as_bytes());
    let key = hmac_sha256(&secret, date.as_bytes());
    secret.fill(0);
    let key = hmac_sha256(&key, region.as_bytes());
    let key = hmac_sha256(&key, service.as_bytes());
    hmac_sha256(&key, b"aws4_request")
}

/// The clock skew told by a response: the server's time, from its `Date` header (an HTTP
/// date), minus `now`, in whole seconds; positive when the local clock is behind.
///
/// `None` when the header is not an HTTP date. The client calls this when a service answers
/// with one of the [`CLOCK_SKEW_ERROR_CODES`], and signs the retry at
/// [`apply_skew`]`(now, skew)`.
///
/// ```
/// use botogen_runtime::DateTime;
/// use botogen_runtime::sigv4::{apply_skew, skew_from_response};
///
/// let now: DateTime = "2015-08-30T12:36:00Z".parse()?;
/// let skew = skew_from_response("Sun, 30 Aug 2015 12:41:30 GMT", now);
/// assert_eq!(skew, Some(330));
/// assert_eq!(apply_skew(now, 330).to_string(), "2015-08-30T12:41:30Z");
/// assert_eq!(skew_from_response("yesterday", now), None);
/// # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
/// ```
pub fn skew_from_response(date_header: &str, now: DateTime) -> Option<i64> {
    let server = DateTime::parse_http_date(date_header.trim()).ok()?;
    server.secs().checked_sub(now.secs())
}

/// `now` corrected by a clock skew in seconds (see [`skew_from_response`]); saturates.
pub fn apply_skew(now: DateTime, skew_seconds: i64) -> DateTime {
    DateTime::from_secs_and_nanos(now.secs().saturating_add(skew_seconds), now.subsec_nanos())
}

/// Whether an error code means the request was rejected because the signing clock is off
/// (one of [`CLOCK_SKEW_ERROR_CODES`]). Some of these codes also cover other signature
/// problems: retry once with the corrected time, not in a loop.
pub fn is_clock_skew_error(code: &str) -> bool {
    CLOCK_SKEW_ERROR_CODES.contains(&code)
}

/// The canonical request with what the rest of signing needs.
struct Prepared {
    amz_date: String,
    payload_hash: String,
    signed_headers: String,
    canonical: String,
}

fn prepare(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<Prepared, SigningError> {
    let amz_date = amz_date(params.time)?;
    let payload_hash = match &params.payload {
        PayloadHash::Sha256OfBody => hex(&Sha256::digest(request.body)),
        PayloadHash::Unsigned => UNSIGNED_PAYLOAD.to_owned(),
        PayloadHash::Precomputed(hash) => hash.clone(),
    };
    let headers = canonical_headers(request, params, &amz_date, &payload_hash)?;

    let mut canonical = String::with_capacity(512);
    canonical.push_str(request.method);
    canonical.push('\n');
    canonical.push_str(&canonical_uri(request.path));
    canonical.push('\n');
    canonical.push_str(&canonical_query(request.query.unwrap_or_default()));
    canonical.push('\n');
    let mut signed_headers = String::with_capacity(128);
    let mut previous: Option<&str> = None;
    for (name, value) in &headers {
        if previous == Some(name.as_str()) {
            canonical.push(',');
        } else {
            if previous.is_some() {
                canonical.push('\n');
                signed_headers.push(';');
            }
            canonical.push_str(name);
            canonical.push(':');
            signed_headers.push_str(name);
        }
        canonical.push_str(value);
        previous = Some(name);
    }
    canonical.push_str("\n\n");
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(&payload_hash);
    Ok(Prepared {
        amz_date,
        payload_hash,
        signed_headers,
        canonical,
    })
}

/// The signed headers as `(lowercase name, canonical value)`, sorted by name, a repeated
/// header's values in request order.
fn canonical_headers(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    amz_date: &str,
    payload_hash: &str,
) -> Result<Vec<(String, String)>, SigningError> {
    let token = params.credentials.session_token();
    let replaced = |name: &str| {
        name == X_AMZ_DATE
            || (token.is_some() && name == X_AMZ_SECURITY_TOKEN)
            || (params.add_content_sha256_header && name == X_AMZ_CONTENT_SHA256)
    };
    let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers.len() + 4);
    let mut has_host = false;
    for (name, value) in &request.headers {
        let name = name.to_ascii_lowercase();
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(SigningError::InvalidHeaderName(name));
        }
        if UNSIGNED_HEADERS.contains(&name.as_str()) || replaced(&name) {
            continue;
        }
        let value = std::str::from_utf8(value)
            .ok()
            .filter(|value| is_header_text(value))
            .ok_or_else(|| SigningError::InvalidHeaderValue(name.clone()))?;
        has_host |= name == HOST;
        headers.push((name, canonical_header_value(value)));
    }
    if !has_host {
        let host = request
            .authority
            .and_then(|authority| host_from_authority(request.scheme, authority))
            .ok_or(SigningError::MissingHost)?;
        if !is_header_text(host) {
            return Err(SigningError::InvalidHeaderValue(HOST.to_owned()));
        }
        headers.push((HOST.to_owned(), host.to_owned()));
    }
    headers.push((X_AMZ_DATE.to_owned(), amz_date.to_owned()));
    if let Some(token) = token {
        if !is_header_text(token) {
            return Err(SigningError::InvalidHeaderValue(
                X_AMZ_SECURITY_TOKEN.to_owned(),
            ));
        }
        headers.push((X_AMZ_SECURITY_TOKEN.to_owned(), token.to_owned()));
    }
    if params.add_content_sha256_header {
        headers.push((X_AMZ_CONTENT_SHA256.to_owned(), payload_hash.to_owned()));
    }
    // Stable: the values of a repeated header stay in request order.
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(headers)
}

/// The `host` value for an authority: userinfo dropped, and the port dropped when it is the
/// scheme's default (or empty). `None` when there is no host.
fn host_from_authority<'u>(scheme: Option<&str>, authority: &'u str) -> Option<&'u str> {
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = match authority.rsplit_once(':') {
        // `[::1]` has colons but no port; a port is digits only.
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
        _ => (authority, None),
    };
    if host.is_empty() {
        return None;
    }
    let default_port = match (scheme, port) {
        (_, Some("")) => true,
        (Some(scheme), Some(port)) => {
            (scheme.eq_ignore_ascii_case("https") && port == "443")
                || (scheme.eq_ignore_ascii_case("http") && port == "80")
        }
        _ => false,
    };
    Some(if default_port { host } else { authority })
}

/// A header value trimmed of spaces and tabs, with inner runs of spaces made one space.
fn canonical_header_value(value: &str) -> String {
    let value = value.trim_matches([' ', '\t']);
    let mut out = String::with_capacity(value.len());
    let mut after_space = false;
    for c in value.chars() {
        if c == ' ' {
            if !after_space {
                out.push(' ');
            }
            after_space = true;
        } else {
            out.push(c);
            after_space = false;
        }
    }
    out
}

/// The canonical URI: the wire path with empty, `.` and `..` segments removed, then
/// percent-encoded again (only unreserved characters and `/` kept).
fn canonical_uri(path: &str) -> String {
    let normalized = normalize_path(path);
    let mut out = String::with_capacity(normalized.len() + 16);
    push_encoded(&mut out, normalized.as_bytes(), true);
    out
}

/// Dot-segment removal (RFC 3986, section 5.2.4) plus removal of empty segments, as AWS
/// specifies for every service but S3: `.` and empty segments are dropped, `..` drops the
/// segment before it (never above the root), and the result is absolute. It ends with `/`
/// when the path does or ends with a `.` or `..` segment (`/a/b/.` is `/a/b/`, as in the RFC
/// and `aws-sigv4`; botocore alone gives `/a/b` there).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if segments.is_empty() || path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") {
        out.push('/');
    }
    out
}

/// The canonical query string: pairs decoded, encoded canonically, sorted by key then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut encoded_key = String::with_capacity(key.len());
            push_encoded(&mut encoded_key, &percent_decode(key), false);
            let mut encoded_value = String::with_capacity(value.len());
            push_encoded(&mut encoded_value, &percent_decode(value), false);
            (encoded_key, encoded_value)
        })
        .collect();
    pairs.sort();
    let mut out = String::with_capacity(query.len() + 8);
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Decodes a query key or value: `%XX` escapes and `+` (a space); a `%` not followed by two
/// hex digits stays as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escape = (byte == b'%')
            .then(|| {
                let high = bytes.get(i + 1).copied().and_then(hex_value)?;
                let low = bytes.get(i + 2).copied().and_then(hex_value)?;
                Some((high << 4) | low)
            })
            .flatten();
        match (byte, escape) {
            (_, Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Appends `bytes` percent-encoded (uppercase hex), keeping unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`) and, if `keep_slash`, `/`.
fn push_encoded(out: &mut String, bytes: &[u8], keep_slash: bool) {
    for &byte in bytes {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4, b'A'));
            out.push(hex_digit(byte, b'A'));
        }
    }
}

/// Whether `byte` may appear in a header name (an RFC 9110 token; upper case already lowered).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Whether `value` can be sent as a header value and written on one line of the canonical
/// request: no control characters but tab.
fn is_header_text(value: &str) -> bool {
    !value.chars().any(|c| c.is_control() && c != '\t')
}

/// `YYYYMMDDTHHMMSSZ`, as `x-amz-date` and the string to sign have it.
fn amz_date(time: DateTime) -> Result<String, SigningError> {
    // `YYYY-MM-DDTHH:MM:SSZ`; years after 9999 and before 0000 are written longer, with a sign.
    let iso = DateTime::from_secs(time.secs()).fmt_date_time();
    if iso.len() != 20 || !iso.starts_with(|c: char| c.is_ascii_digit()) || iso.starts_with("0000")
    {
        return Err(SigningError::TimeOutOfRange);
    }
    Ok(iso.chars().filter(|c| !matches!(c, '-' | ':')).collect())
}

fn credential_scope(date: &str, params: &SigningParams<'_>) -> String {
    format!("{date}/{}/{}/aws4_request", params.region, params.service)
}

fn build_string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// HMAC-SHA256 of `data` keyed by `key`.
///
/// The key is prepared as HMAC does (hashed when longer than the 64-byte block, then padded
/// with zeros), so the fixed-size, infallible constructor serves any key length.
fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        for (slot, byte) in block.iter_mut().zip(Sha256::digest(key)) {
            *slot = byte;
        }
    } else {
        for (slot, byte) in block.iter_mut().zip(key) {
            *slot = *byte;
        }
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    block.fill(0);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Whether `text` is a URI scheme (`https`, `http`, ...).
fn is_scheme(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(hex_digit(byte >> 4, b'a'));
        out.push(hex_digit(byte, b'a'));
    }
    out
}

/// The hex digit of the low four bits of `nibble`, with letters from `ten` (`b'a'` or `b'A'`).
fn hex_digit(nibble: u8, ten: u8) -> char {
    let nibble = nibble & 0xF;
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        ten + (nibble - 10)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn time() -> DateTime {
        DateTime::from_secs(1_440_938_160) // 2015-08-30T12:36:00Z
    }

    fn creds() -> Credentials {
        Credentials::new("AKIDEXAMPLE", SECRET, None)
    }

    #[test]
    fn debug_never_prints_secrets() {
        let credentials = Credentials::new("AKID", "the-secret", Some("the-token".to_owned()));
        for text in [
            format!("{credentials:?}"),
            format!("{credentials:#?}"),
            format!(
                "{:?}",
                SigningParams::new(&credentials, "us-east-1", "svc", time())
            ),
        ] {
            assert!(text.contains("AKID"), "{text}");
            assert!(text.contains("***"), "{text}");
            assert!(!text.contains("the-secret"), "{text}");
            assert!(!text.contains("the-token"), "{text}");
        }
        assert_eq!(
            format!("{:?}", Credentials::new("AKID", "s", None)),
            "Credentials { access_key_id: \"AKID\", secret_access_key: ***, session_token: None }"
        );
        let params = SigningParams::new(&credentials, "us-east-1", "svc", time());
        let request = SignableRequest::new("GET", "https://h/", b"")
            .header("x-amz-security-token", "old-token-value");
        assert!(!format!("{request:?}").contains("old-token-value"));
        let output = sign_request(&request, &params).unwrap();
        assert_eq!(output.header("x-amz-security-token"), Some("the-token"));
        let debug = format!("{output:?}");
        assert!(
            !debug.contains("the-token") && debug.contains("***"),
            "{debug}"
        );
        let mut http_request = http::Request::new(Vec::<u8>::new());
        *http_request.uri_mut() = "https://h/".parse().unwrap();
        sign(&mut http_request, &params).unwrap();
        assert!(!format!("{http_request:?}").contains("the-token"));
    }

    #[test]
    fn paths_are_normalized_per_rfc_3986() {
        for (path, normalized) in [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/a/b", "/a/b"),
            ("/a/b/", "/a/b/"),
            ("//example//", "/example/"),
            ("/example/./", "/example/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/../../a", "/a"),
            ("/a/.", "/a/"),
            ("/a/b/..", "/a/"),
            ("/a/..", "/"),
            ("/.", "/"),
            ("/a/b.", "/a/b."),
            ("/a/..b", "/a/..b"),
            ("/a/./b/../c", "/a/c"),
            ("/a/.../b", "/a/.../b"),
            ("/a/%2E%2E/b", "/a/%2E%2E/b"),
            ("a/b", "/a/b"),
        ] {
            assert_eq!(normalize_path(path), normalized, "{path:?}");
        }
    }

    #[test]
    fn paths_are_encoded_again() {
        assert_eq!(
            canonical_uri("/identitypools/us-east-1%3Aabc/identities"),
            "/identitypools/us-east-1%253Aabc/identities"
        );
        assert_eq!(canonical_uri("/example space/"), "/example%20space/");
        assert_eq!(canonical_uri("/\u{1234}"), "/%E1%88%B4");
        assert_eq!(
            canonical_uri("/a/$b:c@d~e_f-g.h"),
            "/a/%24b%3Ac%40d~e_f-g.h"
        );
        assert_eq!(canonical_uri("/a%2Fb/c%20d"), "/a%252Fb/c%2520d");
    }

    #[test]
    fn queries_are_decoded_sorted_and_encoded() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(
            canonical_query("Param2=value2&Param1=value1"),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(
            canonical_query("Param1=value2&Param1=Value1"),
            "Param1=Value1&Param1=value2"
        );
        assert_eq!(
            canonical_query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
        );
        assert_eq!(canonical_query("delete&a=&&b"), "a=&b=&delete=");
        assert_eq!(
            canonical_query("token=a+b%2Bc%3d%3D&x=%7e%2e/:"),
            "token=a%20b%2Bc%3D%3D&x=~.%2F%3A"
        );
        // Malformed escapes are taken literally; non-UTF-8 bytes survive.
        assert_eq!(canonical_query("k=%zz%4&v=%FF"), "k=%25zz%254&v=%FF");
        assert_eq!(canonical_query("\u{e9}=\u{1F639}"), "%C3%A9=%F0%9F%98%B9");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(canonical_header_value("  a   b  c \t"), "a b c");
        assert_eq!(canonical_header_value("\"a   b   c\""), "\"a b c\"");
        assert_eq!(canonical_header_value("a\tb"), "a\tb");
        assert_eq!(canonical_header_value(""), "");
    }

    #[test]
    fn hosts_come_from_the_authority_without_default_ports() {
        for (scheme, authority, host) in [
            (Some("https"), "example.com", Some("example.com")),
            (Some("https"), "example.com:443", Some("example.com")),
            (Some("HTTPS"), "example.com:443", Some("example.com")),
            (Some("http"), "example.com:80", Some("example.com")),
            (Some("http"), "example.com:443", Some("example.com:443")),
            (Some("https"), "example.com:8443", Some("example.com:8443")),
            (
                Some("https"),
                "user:pw@example.com:443",
                Some("example.com"),
            ),
            (Some("https"), "[::1]:443", Some("[::1]")),
            (Some("https"), "[::1]", Some("[::1]")),
            (Some("http"), "[::1]:8080", Some("[::1]:8080")),
            (Some("https"), "example.com:", Some("example.com")),
            (None, "example.com:80", Some("example.com:80")),
            (Some("https"), "", None),
            (Some("https"), ":443", None),
        ] {
            assert_eq!(host_from_authority(scheme, authority), host, "{authority}");
        }
    }

    #[test]
    fn canonical_headers_sort_join_and_replace() {
        let credentials = Credentials::new("AKID", "s", Some("tok".to_owned()));
        let params = SigningParams::new(&credentials, "r", "s", time())
            .with_payload(PayloadHash::Unsigned)
            .with_content_sha256_header(true);
        let request = SignableRequest::new("POST", "http://example.com:8080/p?b=2&a=1", b"x")
            .header("X-B", "2")
            .header("x-a", " one  two ")
            .header("X-B", "1")
            .header("User-Agent", "ignored")
            .header("Authorization", "old")
            .header("X-Amz-Date", "old")
            .header("X-Amz-Security-Token", "old")
            .header("x-amz-content-sha256", "old");
        let creq = canonical_request(&request, &params).unwrap();
        assert_eq!(
            creq,
            "POST\n/p\na=1&b=2\n\
             host:example.com:8080\n\
             x-a:one two\n\
             x-amz-content-sha256:UNSIGNED-PAYLOAD\n\
             x-amz-date:20150830T123600Z\n\
             x-amz-security-token:tok\n\
             x-b:2,1\n\n\
             host;x-a;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-b\n\
             UNSIGNED-PAYLOAD"
        );
        let output = sign_request(&request, &params).unwrap();
        let names: Vec<&str> = output.headers().map(|(name, _)| name).collect();
        assert_eq!(
            names,
            [
                "x-amz-date",
                "x-amz-security-token",
                "x-amz-content-sha256",
                "authorization"
            ]
        );
        assert!(output.authorization().starts_with(
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/r/s/aws4_request, \
             SignedHeaders=host;x-a;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-b, \
             Signature="
        ));
        assert_eq!(output.signature().len(), 64);
        assert!(output.authorization().ends_with(output.signature()));
    }

    #[test]
    fn payload_hashes() {
        let credentials = creds();
        let request = SignableRequest::new("POST", "https://h/", b"Param1=value1");
        let last_line = |payload: PayloadHash| {
            let params = SigningParams::new(&credentials, "r", "s", time()).with_payload(payload);
            let creq = canonical_request(&request, &params).unwrap();
            creq.rsplit('\n').next().unwrap().to_owned()
        };
        assert_eq!(
            last_line(PayloadHash::Sha256OfBody),
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
        );
        assert_eq!(last_line(PayloadHash::Unsigned), UNSIGNED_PAYLOAD);
        assert_eq!(last_line(PayloadHash::Precomputed("abc".to_owned())), "abc");
    }

    #[test]
    fn string_to_sign_and_signing_key() {
        let credentials = creds();
        let params = SigningParams::new(&credentials, "us-east-1", "service", time());
        let creq = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            string_to_sign(creq, &params).unwrap(),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n\
             bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        );
        // The example of the AWS General Reference ("Deriving the signing key").
        assert_eq!(
            hex(&signing_key(SECRET, "20150830", "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 2 (short key) and 6 (key longer than the block).
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 64], b"x")),
            hex(&{
                let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&[0x0b; 64]).unwrap();
                mac.update(b"x");
                <[u8; 32]>::from(mac.finalize().into_bytes())
            })
        );
    }

    #[test]
    fn dates() {
        assert_eq!(amz_date(time()).unwrap(), "20150830T123600Z");
        assert_eq!(
            amz_date(DateTime::from_secs_and_nanos(1_440_938_160, 999_999_999)).unwrap(),
            "20150830T123600Z"
        );
        assert_eq!(
            amz_date(DateTime::from_secs(-62_135_596_800)).unwrap(),
            "00010101T000000Z"
        );
        assert_eq!(
            amz_date(DateTime::from_secs(-62_135_596_801)),
            Err(SigningError::TimeOutOfRange)
        );
        assert_eq!(
            amz_date(DateTime::from_secs(253_402_300_800)),
            Err(SigningError::TimeOutOfRange)
        );
        assert_eq!(
            amz_date(DateTime::from_secs(i64::MIN)),
            Err(SigningError::TimeOutOfRange)
        );
    }

    #[test]
    fn clock_skew() {
        let now = time();
        assert_eq!(
            skew_from_response(" Sun, 30 Aug 2015 12:36:00 GMT ", now),
            Some(0)
        );
        assert_eq!(
            skew_from_response("Sun, 30 Aug 2015 12:26:00 GMT", now),
            Some(-600)
        );
        assert_eq!(skew_from_response("", now), None);
        assert_eq!(
            skew_from_response(
                "Sun, 30 Aug 2015 12:36:00 GMT",
                DateTime::from_secs(i64::MIN)
            ),
            None
        );
        assert_eq!(apply_skew(now, -600).secs(), now.secs() - 600);
        assert_eq!(
            apply_skew(DateTime::from_secs(i64::MAX), 1).secs(),
            i64::MAX
        );
        assert!(is_clock_skew_error("RequestTimeTooSkewed"));
        assert!(is_clock_skew_error("InvalidSignatureException"));
        assert!(!is_clock_skew_error("ResourceNotFoundException"));
    }

    #[test]
    fn errors_instead_of_panics() {
        let credentials = creds();
        let params = SigningParams::new(&credentials, "r", "s", time());
        let sign_text = |request: SignableRequest<'_>| sign_request(&request, &params).err();
        assert_eq!(
            sign_text(SignableRequest::new("GET", "/relative", b"")),
            Some(SigningError::MissingHost)
        );
        assert_eq!(
            sign_text(SignableRequest::new("GET", "/", b"").header("bad name", "v")),
            Some(SigningError::InvalidHeaderName("bad name".to_owned()))
        );
        assert_eq!(
            sign_text(SignableRequest::new("GET", "/", b"").header("", "v")),
            Some(SigningError::InvalidHeaderName(String::new()))
        );
        assert_eq!(
            sign_text(SignableRequest::new("GET", "https://h/", b"").header("x", "a\nb")),
            Some(SigningError::InvalidHeaderValue("x".to_owned()))
        );
        assert_eq!(
            sign_text(SignableRequest::new("GET", "https://h/", b"").header("x", b"\xff")),
            Some(SigningError::InvalidHeaderValue("x".to_owned()))
        );
        let bad_token = Credentials::new("AKID", "s", Some("a\r\nb".to_owned()));
        let params = SigningParams::new(&bad_token, "r", "s", time());
        let mut request = http::Request::new(Vec::<u8>::new());
        *request.uri_mut() = "https://h/".parse().unwrap();
        assert_eq!(
            sign(&mut request, &params),
            Err(SigningError::InvalidHeaderValue(
                "x-amz-security-token".to_owned()
            ))
        );
        assert!(request.headers().is_empty(), "left unchanged on error");
        let credentials = creds();
        let params = SigningParams::new(&credentials, "us\n", "s", time());
        assert_eq!(
            sign(&mut request, &params),
            Err(SigningError::InvalidHeaderValue("authorization".to_owned()))
        );
        for error in [
            SigningError::MissingHost,
            SigningError::InvalidHeaderName("a b".to_owned()),
            SigningError::InvalidHeaderValue("x".to_owned()),
            SigningError::TimeOutOfRange,
        ] {
            assert!(error.to_string().starts_with("cannot sign"));
        }
    }

    #[test]
    fn random_inputs_never_panic() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "0",
            "/",
            "//",
            ".",
            "..",
            "?",
            "&",
            "=",
            "#",
            "%",
            "%4",
            "%zz",
            "%FF",
            "+",
            ":",
            "://",
            "@",
            "[",
            "]",
            " ",
            "\t",
            "\n",
            "\r",
            "\u{0}",
            "\u{7f}",
            "\u{e9}",
            "\u{1F639}",
            "https",
            "host",
            ":443",
            ":80",
            "",
        ];
        let mut text = |max: usize| -> String {
            let len = next(max + 1);
            (0..len).map(|_| PIECES[next(PIECES.len())]).collect()
        };
        let mut bytes: Vec<Vec<u8>> = Vec::new();
        for _ in 0..64 {
            let mut value = text(6).into_bytes();
            value.push(0xFF);
            bytes.push(value);
        }
        for i in 0..5_000 {
            let (uri, name, value, region, token) = (text(12), text(3), text(6), text(2), text(3));
            let credentials = Credentials::new(text(2), text(2), (i % 2 == 0).then_some(token));
            let time = match i % 4 {
                0 => DateTime::from_secs(i64::MIN),
                1 => DateTime::from_secs(i64::MAX),
                _ => time(),
            };
            let params = SigningParams::new(&credentials, &region, "s", time)
                .with_content_sha256_header(i % 3 == 0)
                .with_payload(PayloadHash::Precomputed(text(2)));
            let mut request = SignableRequest::new("GET", &uri, b"body").header(&name, &value);
            if i % 5 == 0 {
                request = request.header("x", &bytes[i % bytes.len()]);
            }
            let _ = canonical_request(&request, &params);
            let _ = string_to_sign(&uri, &params);
            if let Ok(output) = sign_request(&request, &params) {
                assert!(
                    output
                        .headers()
                        .all(|(_, v)| http::HeaderValue::from_str(v).is_ok())
                );
            }
            let _ = skew_from_response(&uri, time);
        }
    }

    #[test]
    fn uris_are_split_leniently() {
        let parts = |uri| {
            let r = SignableRequest::new("GET", uri, b"");
            (r.scheme, r.authority, r.path, r.query)
        };
        assert_eq!(
            parts("https://h:1/a b/c?x=1&y#frag"),
            (Some("https"), Some("h:1"), "/a b/c", Some("x=1&y"))
        );
        assert_eq!(
            parts("https://h?x"),
            (Some("https"), Some("h"), "", Some("x"))
        );
        assert_eq!(parts("https://h"), (Some("https"), Some("h"), "", None));
        assert_eq!(parts("/p?q=a://b"), (None, None, "/p", Some("q=a://b")));
        assert_eq!(parts(""), (None, None, "", None));
        assert_eq!(parts("://x"), (None, None, "://x", None));
    }

    #[test]
    fn http_requests_are_signed_in_place() {
        let credentials = creds();
        let params = SigningParams::new(&credentials, "us-east-1", "service", time());
        let mut request = http::Request::builder()
            .method("GET")
            .uri("/")
            .header("host", "example.amazonaws.com")
            .header("x-amz-date", "19700101T000000Z")
            .body(Vec::new())
            .unwrap();
        sign(&mut request, &params).unwrap();
        assert_eq!(request.headers()["x-amz-date"], "20150830T123600Z");
        assert_eq!(request.headers().get_all("x-amz-date").iter().count(), 1);
        assert_eq!(
            request.headers()["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert!(request.headers()["authorization"].is_sensitive());
        // Signing again replaces the signature rather than adding a second one.
        sign(&mut request, &params).unwrap();
        assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
    }
}
