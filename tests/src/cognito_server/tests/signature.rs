//! Signature checks: valid requests pass, tampered ones and wrong credentials do not, clock
//! skew is reported as AWS reports it; keep-alive.

use botogen_cognito_sync::Validation;
use botogen_cognito_sync::operation::list_datasets;
use botogen_cognito_sync::types::ListDatasetsRequest;
use botogen_runtime::DateTime;
use botogen_runtime::sigv4::{Credentials, skew_from_response};

use super::*;
use crate::cognito_server::SignatureVerdict;

fn list_datasets_request() -> http::Request<Vec<u8>> {
    let input = ListDatasetsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .build()
        .expect("input");
    list_datasets::serialize_request(&input, Validation::Enabled).expect("request")
}

fn assert_rejected(response: &http::Response<Vec<u8>>, status: u16, code: &str) {
    assert_eq!(
        (response.status().as_u16(), error_code(response)),
        (status, Some(code)),
        "{}",
        String::from_utf8_lossy(response.body())
    );
}

#[test]
fn valid_signature_is_accepted() {
    let server = start();
    let response = call(&server, list_datasets_request());
    assert_eq!(response.status(), 200);
    let output = list_datasets::parse_response(&response).expect("parses");
    assert_eq!(output.count, Some(0));
    assert!(header(&response, "date").is_some_and(|d| d.ends_with(" GMT")));
    let request_id = header(&response, "x-amzn-requestid").expect("request id");
    let log = server.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].operation, Some("ListDatasets"));
    assert_eq!(log[0].signature, SignatureVerdict::Valid);
    assert_eq!(
        (log[0].status, log[0].request_id.as_str()),
        (Some(200), request_id)
    );
    assert!(log[0].header("authorization").is_some());
}

#[test]
fn session_tokens_are_required_when_configured() {
    let server = CognitoServer::start(config().session_token("the-token")).expect("starts");
    let with = Credentials::new(ACCESS_KEY, SECRET, Some("the-token".to_owned()));
    let wrong = Credentials::new(ACCESS_KEY, SECRET, Some("other".to_owned()));
    let without = Credentials::new(ACCESS_KEY, SECRET, None);
    let send = |credentials: &Credentials| {
        let request = sign_with(
            &server,
            list_datasets_request(),
            credentials,
            REGION,
            time(0),
        );
        Client::connect(&server).call(&request)
    };
    assert_eq!(send(&with).status(), 200);
    assert_rejected(&send(&wrong), 403, "UnrecognizedClientException");
    assert_rejected(&send(&without), 403, "UnrecognizedClientException");
    // And a token the server does not expect is refused too.
    let plain = start();
    let request = sign_with(&plain, list_datasets_request(), &with, REGION, time(0));
    assert_rejected(
        &Client::connect(&plain).call(&request),
        403,
        "UnrecognizedClientException",
    );
}

#[test]
fn tampered_requests_are_rejected() {
    let server = start();
    let token = list_records(&server, "game", None)
        .sync_session_token
        .expect("token");
    let request = signed(
        &server,
        update_records_request("game", &token, vec![patch("score", Some("10"), 0)]),
    );

    // The body changed after signing (same length, so framing is intact).
    let mut body = request.clone();
    let text = String::from_utf8(body.body().clone())
        .unwrap()
        .replace("\"10\"", "\"99\"");
    *body.body_mut() = text.into_bytes();
    assert_rejected(
        &Client::connect(&server).call(&body),
        403,
        "InvalidSignatureException",
    );

    // The path changed: another dataset.
    let mut path = request.clone();
    let uri = path
        .uri()
        .to_string()
        .replace("/datasets/game", "/datasets/gamf");
    *path.uri_mut() = uri.parse().unwrap();
    assert_rejected(
        &Client::connect(&server).call(&path),
        403,
        "InvalidSignatureException",
    );

    // A signed header changed.
    let mut signed_header = request.clone();
    signed_header.headers_mut().insert(
        "content-type",
        "application/x-amz-json-1.1".parse().unwrap(),
    );
    let response = Client::connect(&server).call(&signed_header);
    assert_rejected(&response, 403, "InvalidSignatureException");
    assert!(error_message(&response).starts_with("The request signature we calculated"));

    // A query parameter added.
    let mut query = request.clone();
    let uri = format!("{}?x=1", query.uri());
    *query.uri_mut() = uri.parse().unwrap();
    assert_rejected(
        &Client::connect(&server).call(&query),
        403,
        "InvalidSignatureException",
    );

    assert!(
        server.dataset(POOL, IDENTITY, "game").is_none(),
        "nothing applied"
    );
    let verdicts: Vec<_> = server.requests().iter().map(|r| r.signature).collect();
    assert_eq!(verdicts[1..], [SignatureVerdict::Mismatch; 4]);

    // An unsigned header added on the way (a proxy's) does not matter; the original passes.
    let mut extra = request.clone();
    extra
        .headers_mut()
        .insert("x-forwarded-for", "10.0.0.1".parse().unwrap());
    assert_eq!(Client::connect(&server).call(&extra).status(), 200);
    assert_eq!(
        server
            .dataset(POOL, IDENTITY, "game")
            .unwrap()
            .value("score"),
        Some("10")
    );
}

#[test]
fn wrong_credentials_and_scopes_are_rejected() {
    let server = start();
    let send = |credentials: &Credentials, region: &str| {
        let request = sign_with(
            &server,
            list_datasets_request(),
            credentials,
            region,
            time(0),
        );
        Client::connect(&server).call(&request)
    };
    let unknown = Credentials::new("AKIDOTHER", SECRET, None);
    assert_rejected(&send(&unknown, REGION), 403, "UnrecognizedClientException");
    let bad_secret = Credentials::new(ACCESS_KEY, "not-the-secret", None);
    assert_rejected(&send(&bad_secret, REGION), 403, "InvalidSignatureException");
    let good = Credentials::new(ACCESS_KEY, SECRET, None);
    let response = send(&good, "eu-west-1");
    assert_rejected(&response, 403, "InvalidSignatureException");
    assert!(error_message(&response).contains("'eu-west-1'"));

    // Signed for another service.
    let mut request = list_datasets_request();
    let uri = format!("{}{}", server.url(), request.uri());
    *request.uri_mut() = uri.parse().unwrap();
    let params =
        botogen_runtime::sigv4::SigningParams::new(&good, REGION, "cognito-identity", time(0));
    botogen_runtime::sigv4::sign(&mut request, &params).unwrap();
    assert_rejected(
        &Client::connect(&server).call(&request),
        403,
        "InvalidSignatureException",
    );

    // No signature at all, and an unreadable one.
    let mut unsigned = list_datasets_request();
    let uri = format!("{}{}", server.url(), unsigned.uri());
    *unsigned.uri_mut() = uri.parse().unwrap();
    let response = Client::connect(&server).call(&unsigned);
    assert_rejected(&response, 403, "MissingAuthenticationTokenException");
    unsigned.headers_mut().insert(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=x".parse().unwrap(),
    );
    assert_rejected(
        &Client::connect(&server).call(&unsigned),
        400,
        "IncompleteSignatureException",
    );

    let verdicts: Vec<_> = server.requests().into_iter().map(|r| r.signature).collect();
    assert_eq!(
        verdicts,
        [
            SignatureVerdict::UnknownAccessKey,
            SignatureVerdict::Mismatch,
            SignatureVerdict::BadScope,
            SignatureVerdict::BadScope,
            SignatureVerdict::Missing,
            SignatureVerdict::Malformed,
        ]
    );
}

#[test]
fn clock_skew_is_reported_with_the_server_time() {
    for offset in [600_i64, -600] {
        let server = CognitoServer::start(config().clock_offset_seconds(offset)).expect("starts");
        let response = call(&server, list_datasets_request());
        assert_rejected(&response, 403, "InvalidSignatureException");
        let message = error_message(&response);
        let relation = if offset > 0 { "earlier" } else { "later" };
        assert!(
            message.starts_with("Signature expired: ")
                && message.contains(&format!(" is now {relation} than ")),
            "{message}"
        );
        assert_eq!(server.requests()[0].signature, SignatureVerdict::Expired);

        // The `Date` header gives the server's time; the client corrects its clock with it.
        let date = header(&response, "date").expect("Date");
        let server_time = DateTime::parse_http_date(date).expect("RFC 1123 date");
        assert!(
            (server_time.secs() - time(offset).secs()).abs() <= 5,
            "{date}"
        );
        let skew = skew_from_response(date, time(0)).expect("skew");
        assert!((skew - offset).abs() <= 5, "skew {skew}");
        let credentials = Credentials::new(ACCESS_KEY, SECRET, None);
        let request = sign_with(
            &server,
            list_datasets_request(),
            &credentials,
            REGION,
            time(skew),
        );
        assert_eq!(Client::connect(&server).call(&request).status(), 200);
    }
    // Four minutes off is still accepted.
    let server = CognitoServer::start(config().clock_offset_seconds(240)).expect("starts");
    assert_eq!(call(&server, list_datasets_request()).status(), 200);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let server = start();
    let mut client = Client::connect(&server);
    let first = client.call(&signed(&server, list_datasets_request()));
    let second = client.call(&signed(
        &server,
        list_records_request("d", None, None, None),
    ));
    let third = client.call(&signed(&server, list_datasets_request()));
    assert_eq!(
        [first.status(), second.status(), third.status()],
        [200, 200, 200]
    );
    let ids: std::collections::HashSet<_> = [&first, &second, &third]
        .iter()
        .map(|r| header(r, "x-amzn-requestid").unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3, "request ids are unique");
    assert_eq!(server.requests().len(), 3);

    // `Connection: close` is honoured.
    let mut last = signed(&server, list_datasets_request());
    last.headers_mut()
        .insert("connection", "close".parse().unwrap());
    let response = client.call(&last);
    assert_eq!(header(&response, "connection"), Some("close"));
    assert!(client.is_closed());
}
