//! Checking a request's AWS Signature Version 4 with an independent signer: the AWS SDK for
//! Rust's `aws-sigv4`, not botogen-runtime's.
//!
//! The `Authorization` header is parsed and its credential scope checked against the
//! server's configuration; then a copy of the request with exactly the signed headers and
//! the received method, path, query (as sent, still percent-encoded) and body is signed again
//! by `aws-sigv4` at the `X-Amz-Date` time, with its settings for services other than S3
//! (double URI encoding, path normalization), and the two signatures must be equal.
//!
//! Failures are answered as AWS answers them: 403 `MissingAuthenticationTokenException` (no
//! `Authorization`), 400 `IncompleteSignatureException` (an `Authorization` or `X-Amz-Date`
//! that cannot be read), 403 `UnrecognizedClientException` (unknown access key id, wrong or
//! unexpected session token), 403 `InvalidSignatureException` (bad credential scope,
//! signature expired, signature mismatch).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, UNIX_EPOCH};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::identity::Identity;

use super::ServerConfig;
use super::clock::{format_amz_date, parse_amz_date};
use super::error::ApiError;
use super::http::Request;

/// The signing name of Cognito Sync.
pub const SERVICE: &str = "cognito-sync";

/// How far, in seconds, the `X-Amz-Date` of a request may be from the server's clock.
pub const MAX_SKEW_SECONDS: i64 = 5 * 60;

/// The outcome of the signature check of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureVerdict {
    /// The signature is valid.
    Valid,
    /// No `Authorization` header (403 `MissingAuthenticationTokenException`).
    Missing,
    /// The `Authorization` or `X-Amz-Date` header cannot be read (400
    /// `IncompleteSignatureException`).
    Malformed,
    /// The access key id is not the configured one (403 `UnrecognizedClientException`).
    UnknownAccessKey,
    /// The session token is missing, wrong, or sent when none is configured (403
    /// `UnrecognizedClientException`).
    InvalidToken,
    /// The credential scope names another date, region or service, or the signed headers
    /// lack `host` (403 `InvalidSignatureException`).
    BadScope,
    /// `X-Amz-Date` is more than five minutes from the server's clock (403
    /// `InvalidSignatureException`, "Signature expired").
    Expired,
    /// The signature is not the one `aws-sigv4` computes (403 `InvalidSignatureException`).
    Mismatch,
}

impl SignatureVerdict {
    /// Whether the signature was accepted.
    pub fn is_valid(&self) -> bool {
        *self == SignatureVerdict::Valid
    }
}

/// A rejected signature: the verdict and the error to answer with.
pub(crate) type Rejection = (SignatureVerdict, ApiError);

fn reject(verdict: SignatureVerdict, message: impl Into<String>) -> Rejection {
    let (status, code) = match verdict {
        SignatureVerdict::Missing => (403, "MissingAuthenticationTokenException"),
        SignatureVerdict::Malformed => (400, "IncompleteSignatureException"),
        SignatureVerdict::UnknownAccessKey | SignatureVerdict::InvalidToken => {
            (403, "UnrecognizedClientException")
        }
        _ => (403, "InvalidSignatureException"),
    };
    (verdict, ApiError::new(status, code, message))
}

/// The parts of an `Authorization` header.
struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    terminator: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, Rejection> {
    let malformed = |what: &str| {
        reject(
            SignatureVerdict::Malformed,
            format!("Authorization header requires '{what}' parameter. Authorization={value}"),
        )
    };
    let Some(rest) = value.strip_prefix("AWS4-HMAC-SHA256 ") else {
        let algorithm = value.split(' ').next().unwrap_or_default();
        return Err(reject(
            SignatureVerdict::Malformed,
            format!("Unsupported AWS 'algorithm': '{algorithm}'"),
        ));
    };
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let Some((name, text)) = part.trim().split_once('=') else {
            continue;
        };
        match name {
            "Credential" => credential = Some(text),
            "SignedHeaders" => signed = Some(text),
            "Signature" => signature = Some(text),
            _ => {}
        }
    }
    let credential = credential.ok_or_else(|| malformed("Credential"))?;
    let signed = signed.ok_or_else(|| malformed("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| malformed("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, terminator] = scope.as_slice() else {
        return Err(reject(
            SignatureVerdict::BadScope,
            format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                scope.get(2).unwrap_or(&"")
            ),
        ));
    };
    Ok(Authorization {
        access_key,
        date,
        region,
        service,
        terminator,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

/// Checks the signature of `request` against `config` at server time `now` (epoch seconds).
pub(crate) fn verify(request: &Request, config: &ServerConfig, now: i64) -> Result<(), Rejection> {
    let mut authorizations = request.header_values("authorization");
    let Some(value) = authorizations.next() else {
        return Err(reject(
            SignatureVerdict::Missing,
            "Missing Authentication Token",
        ));
    };
    if authorizations.next().is_some() {
        return Err(reject(
            SignatureVerdict::Malformed,
            "Only one Authorization header is allowed.",
        ));
    }
    let auth = parse_authorization(value)?;
    if auth.access_key != config.access_key_id.as_str() {
        return Err(reject(
            SignatureVerdict::UnknownAccessKey,
            "The security token included in the request is invalid.",
        ));
    }
    let token = request.header("x-amz-security-token");
    if token != config.session_token.as_deref() {
        return Err(reject(
            SignatureVerdict::InvalidToken,
            "The security token included in the request is invalid.",
        ));
    }
    let Some(amz_date) = request.header("x-amz-date") else {
        return Err(reject(
            SignatureVerdict::Malformed,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let Some(signed_at) = parse_amz_date(amz_date) else {
        return Err(reject(
            SignatureVerdict::Malformed,
            format!("Date must be in ISO-8601 'basic format'. Got '{amz_date}'."),
        ));
    };
    check_scope(&auth, amz_date, config)?;
    if signed_at < now - MAX_SKEW_SECONDS {
        return Err(reject(
            SignatureVerdict::Expired,
            format!(
                "Signature expired: {amz_date} is now earlier than {}",
                format_amz_date(now - MAX_SKEW_SECONDS)
            ),
        ));
    }
    if signed_at > now + MAX_SKEW_SECONDS {
        return Err(reject(
            SignatureVerdict::Expired,
            format!(
                "Signature expired: {amz_date} is now later than {}",
                format_amz_date(now + MAX_SKEW_SECONDS)
            ),
        ));
    }
    let expected = resign(request, &auth, config, signed_at);
    if expected.as_deref() != Some(auth.signature) {
        return Err(reject(
            SignatureVerdict::Mismatch,
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        ));
    }
    Ok(())
}

fn check_scope(
    auth: &Authorization<'_>,
    amz_date: &str,
    config: &ServerConfig,
) -> Result<(), Rejection> {
    let day = amz_date.get(..8).unwrap_or_default();
    let message = if auth.date != day {
        format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
             from HTTP: '{}' != '{day}', from '{amz_date}'.",
            auth.date
        )
    } else if auth.region != config.region {
        format!(
            "Credential should be scoped to a valid region, not '{}'. ",
            auth.region
        )
    } else if auth.service != SERVICE {
        format!("Credential should be scoped to correct service: '{SERVICE}'. ")
    } else if auth.terminator != "aws4_request" {
        format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'. ",
            auth.terminator
        )
    } else if !auth.signed_headers.contains(&"host") {
        "'Host' must be a 'SignedHeader' in the AWS Authorization.".to_owned()
    } else {
        return Ok(());
    };
    Err(reject(SignatureVerdict::BadScope, message))
}

/// The signature `aws-sigv4` computes for the signed parts of `request`; `None` if it cannot
/// sign them (a header that is not valid, a path that is not a valid URI, ...).
fn resign(
    request: &Request,
    auth: &Authorization<'_>,
    config: &ServerConfig,
    signed_at: i64,
) -> Option<String> {
    let signed = |name: &str| auth.signed_headers.contains(&name);
    // `aws-sigv4` adds these itself: the date from the signing time, the token from the
    // identity, the payload hash from the body.
    let added_by_signer = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            let lower = name.to_ascii_lowercase();
            signed(&lower) && !added_by_signer.contains(&lower.as_str())
        })
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let content_sha256 = request.header("x-amz-content-sha256");
    let body = if content_sha256 == Some("UNSIGNED-PAYLOAD") {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(&request.body)
    };
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Double;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Enabled;
    settings.payload_checksum_kind = if content_sha256.is_some() && signed("x-amz-content-sha256") {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    // The copy holds only signed headers, so nothing needs excluding.
    settings.excluded_headers = None;
    let token = signed("x-amz-security-token")
        .then(|| request.header("x-amz-security-token").map(str::to_owned))
        .flatten();
    let identity: Identity = aws_credential_types::Credentials::new(
        config.access_key_id.as_str(),
        &config.secret_access_key,
        token,
        None,
        "cognito-server",
    )
    .into();
    let time = UNIX_EPOCH + Duration::from_secs(u64::try_from(signed_at).ok()?);
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name(auth.service)
        .time(time)
        .settings(settings)
        .build()
        .ok()?
        .into();
    let uri = if request.query.is_empty() {
        request.path.clone()
    } else {
        format!("{}?{}", request.path, request.query)
    };
    // `aws-sigv4` asserts a few things (such as a host to sign) instead of returning errors;
    // a request that trips one is not validly signed.
    catch_unwind(AssertUnwindSafe(|| {
        let signable =
            SignableRequest::new(&request.method, uri, headers.into_iter(), body).ok()?;
        let (_, signature) = aws_sigv4::http_request::sign(signable, &params)
            .ok()?
            .into_parts();
        Some(signature)
    }))
    .ok()
    .flatten()
}
