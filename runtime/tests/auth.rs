//! Per-operation host prefixes and auth schemes in `client::invoke`, against a
//! `ReplayClient`: the prefix goes before the endpoint's host before signing, SigV4 over
//! `UNSIGNED-PAYLOAD` gives the signature `aws-sigv4` gives, bearer tokens and unsigned
//! requests need no AWS credentials, and the configured signing name is the one signed for.
#![cfg(feature = "client")]

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, UNIX_EPOCH};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SigningSettings,
    UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::identity::Identity;
use botogen_runtime::client::{AuthScheme, ClientConfig, InvokeError, OperationSpec, invoke};
use botogen_runtime::credentials::{Env, Token};
use botogen_runtime::endpoint::RuleSet;
use botogen_runtime::rest::RequestParts;
use botogen_runtime::sigv4::Credentials;
use botogen_runtime::transport::ReplayClient;

const RULES: &str = include_str!("../../models/cognito-sync/2014-06-30/endpoint-rule-set-1.json");
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

#[derive(Debug)]
struct TestError(u16);

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "status {}", self.0)
    }
}

impl std::error::Error for TestError {}

fn parse(response: &http::Response<Vec<u8>>) -> Result<(), TestError> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(TestError(response.status().as_u16()))
    }
}

fn classify(error: &TestError) -> (Option<String>, Option<u16>) {
    (None, Some(error.0))
}

fn builder(
    http: &Arc<ReplayClient>,
    signing_name: &str,
) -> botogen_runtime::client::ClientConfigBuilder {
    ClientConfig::builder(
        Arc::new(RuleSet::from_json(RULES).expect("rules")),
        signing_name,
    )
    .region("eu-west-1")
    .credentials(Credentials::new(ACCESS_KEY, SECRET, None))
    .http_client(Arc::clone(http))
}

fn replay(responses: usize) -> Arc<ReplayClient> {
    Arc::new(ReplayClient::new(
        (0..responses).map(|_| http::Response::new("{}")),
    ))
}

/// A PUT with a JSON body and, when given, a host prefix with one label.
fn request(prefix: Option<&str>) -> http::Request<Vec<u8>> {
    let mut parts = RequestParts::new(http::Method::PUT);
    parts.path().push_str("/things/a%20b");
    parts.query.push("q", "1 2");
    if let Some(label) = prefix {
        parts
            .host_prefix("{AccountId}.data-", &[("AccountId", label)])
            .expect("valid prefix");
    }
    parts.body(br#"{"big":"body"}"#.to_vec(), "application/json");
    parts.finish().expect("request")
}

fn call(
    config: &ClientConfig,
    auth: AuthScheme,
    prefix: Option<&str>,
) -> Result<(), InvokeError<TestError>> {
    block_on(invoke(
        config,
        OperationSpec::new("PutThing", auth),
        request(prefix),
        parse,
        classify,
    ))
}

fn header<'r>(request: &'r http::Request<Vec<u8>>, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("text"))
}

/// Seconds since the epoch of an `x-amz-date` (`20150830T123600Z`).
fn amz_date_secs(date: &str) -> u64 {
    let n = |range: std::ops::Range<usize>| date[range].parse::<i64>().expect("digits");
    let (year, month, day) = (n(0..4), n(4..6), n(6..8));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + n(9..11) * 3_600 + n(11..13) * 60 + n(13..15)) as u64
}

/// The `authorization` header `aws-sigv4` computes for `sent` (without the headers signing
/// added), at the time of its `x-amz-date`.
fn aws_sigv4_authorization(sent: &http::Request<Vec<u8>>, service: &str, unsigned: bool) -> String {
    let identity: Identity =
        aws_credential_types::Credentials::new(ACCESS_KEY, SECRET, None, None, "test").into();
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Double;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Enabled;
    settings.payload_checksum_kind = if unsigned {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    let time =
        UNIX_EPOCH + Duration::from_secs(amz_date_secs(header(sent, "x-amz-date").expect("date")));
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("eu-west-1")
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .expect("params")
        .into();
    let added = ["authorization", "x-amz-date", "x-amz-content-sha256"];
    let headers: Vec<(&str, &str)> = sent
        .headers()
        .iter()
        .filter(|(name, _)| !added.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.to_str().expect("text")))
        .collect();
    let body = if unsigned {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(sent.body())
    };
    let signable = aws_sigv4::http_request::SignableRequest::new(
        sent.method().as_str(),
        sent.uri().to_string(),
        headers.into_iter(),
        body,
    )
    .expect("signable");
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
        .expect("aws-sigv4 signs")
        .into_parts();
    let (_, authorization) = instructions
        .headers()
        .find(|(name, _)| *name == "authorization")
        .expect("authorization");
    authorization.to_owned()
}

#[test]
fn the_host_prefix_goes_before_the_endpoint_host_and_is_signed() {
    let http = replay(3);
    let config = builder(&http, "cognito-sync").build().expect("config");
    call(&config, AuthScheme::SigV4, Some("123456789012")).expect("call");
    call(&config, AuthScheme::SigV4, None).expect("call");
    let custom = builder(&http, "cognito-sync")
        .endpoint_url("http://localhost:8080/base")
        .build()
        .expect("config");
    call(&custom, AuthScheme::SigV4, Some("000000000000")).expect("call");
    let sent = http.requests();
    assert_eq!(
        sent[0].uri().to_string(),
        "https://123456789012.data-cognito-sync.eu-west-1.amazonaws.com/things/a%20b?q=1%202"
    );
    assert_eq!(
        sent[1].uri().to_string(),
        "https://cognito-sync.eu-west-1.amazonaws.com/things/a%20b?q=1%202"
    );
    assert_eq!(
        sent[2].uri().to_string(),
        "http://000000000000.data-localhost:8080/base/things/a%20b?q=1%202"
    );
    // Signed over the prefixed host: aws-sigv4 agrees on the signature.
    for request in &sent {
        assert_eq!(
            header(request, "authorization"),
            Some(aws_sigv4_authorization(request, "cognito-sync", false).as_str()),
            "{}",
            request.uri()
        );
        assert_eq!(header(request, "x-amz-content-sha256"), None);
    }
}

#[test]
fn host_prefixes_can_be_disabled() {
    let http = replay(1);
    let config = builder(&http, "cognito-sync")
        .disable_host_prefix(true)
        .build()
        .expect("config");
    assert!(config.disable_host_prefix());
    call(&config, AuthScheme::SigV4, Some("123456789012")).expect("call");
    assert_eq!(
        http.requests()[0].uri().host(),
        Some("cognito-sync.eu-west-1.amazonaws.com")
    );
}

#[test]
fn unsigned_payloads_sign_like_aws_sigv4() {
    let http = replay(1);
    let config = builder(&http, "cognito-sync").build().expect("config");
    call(
        &config,
        AuthScheme::SigV4UnsignedPayload,
        Some("123456789012"),
    )
    .expect("call");
    let sent = &http.requests()[0];
    assert_eq!(
        header(sent, "x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    let authorization = header(sent, "authorization").expect("signed");
    assert!(
        authorization.contains(
            "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date,"
        ),
        "{authorization}"
    );
    assert_eq!(
        authorization,
        aws_sigv4_authorization(sent, "cognito-sync", true)
    );
    // The body is sent all the same.
    assert_eq!(sent.body(), br#"{"big":"body"}"#);
}

#[test]
fn the_signing_name_is_the_one_signed_for() {
    let http = replay(1);
    let config = builder(&http, "custom-signer").build().expect("config");
    call(&config, AuthScheme::SigV4, None).expect("call");
    let sent = &http.requests()[0];
    // The endpoint still comes from the rule set (cognito-sync's host).
    assert_eq!(
        sent.uri().host(),
        Some("cognito-sync.eu-west-1.amazonaws.com")
    );
    let authorization = header(sent, "authorization").expect("signed");
    assert!(
        authorization.contains("/eu-west-1/custom-signer/aws4_request"),
        "{authorization}"
    );
    assert_eq!(
        authorization,
        aws_sigv4_authorization(sent, "custom-signer", false)
    );
}

#[test]
fn no_auth_requests_are_sent_unsigned_without_credentials() {
    let http = replay(1);
    // No credentials anywhere: the default chain over an empty environment has none.
    let config = ClientConfig::builder(
        Arc::new(RuleSet::from_json(RULES).expect("rules")),
        "cognito-sync",
    )
    .environment(Env::from_pairs([("AWS_REGION", "eu-west-1")]))
    .http_client(Arc::clone(&http))
    .build()
    .expect("config");
    call(&config, AuthScheme::NoAuth, None).expect("unsigned call");
    let sent = &http.requests()[0];
    for name in [
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        assert_eq!(header(sent, name), None, "{name}");
    }
    assert!(header(sent, "user-agent").is_some());
    // The same configuration cannot sign.
    let error = call(&config, AuthScheme::SigV4, None).expect_err("no credentials");
    assert!(matches!(error, InvokeError::Credentials(_)), "{error:?}");
    assert_eq!(http.calls(), 1);
}

#[test]
fn bearer_auth_sends_the_token_and_fails_early_without_one() {
    let http = replay(1);
    let without = builder(&http, "cognito-sync").build().expect("config");
    let error = call(&without, AuthScheme::Bearer, None).expect_err("no token");
    assert!(
        matches!(error, InvokeError::MissingBearerToken),
        "{error:?}"
    );
    assert!(error.to_string().contains("bearer_token"), "{error}");
    assert_eq!(http.calls(), 0);

    let with = builder(&http, "cognito-sync")
        .bearer_token(Token::new("secret-token"))
        .build()
        .expect("config");
    assert!(!format!("{with:?}").contains("secret-token"));
    assert_eq!(format!("{:?}", Token::new("secret-token")), "Token(***)");
    call(&with, AuthScheme::Bearer, None).expect("call");
    let sent = &http.requests()[0];
    assert_eq!(header(sent, "authorization"), Some("Bearer secret-token"));
    assert!(sent.headers()["authorization"].is_sensitive());
    assert_eq!(header(sent, "x-amz-date"), None);

    // A token that cannot go in a header is a credentials error, before sending.
    let bad = builder(&http, "cognito-sync")
        .bearer_token(Token::new("line\nbreak"))
        .build()
        .expect("config");
    let error = call(&bad, AuthScheme::Bearer, None).expect_err("bad token");
    assert!(matches!(error, InvokeError::Credentials(_)), "{error:?}");
    assert_eq!(http.calls(), 1);
}

#[test]
fn a_bare_operation_name_means_sigv4() {
    let spec = OperationSpec::from("ListRecords");
    assert_eq!((spec.name, spec.auth), ("ListRecords", AuthScheme::SigV4));
    assert_eq!(AuthScheme::default(), AuthScheme::SigV4);
}
