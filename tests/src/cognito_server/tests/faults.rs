//! Fault injection: each kind, and whether the request was applied.

use std::time::{Duration, Instant};

use botogen_cognito_sync::operation::list_records::ListRecordsError;
use botogen_cognito_sync::operation::update_records::{self, UpdateRecordsError};

use super::*;
use crate::cognito_server::{Fault, FaultKind};

/// A server with a session token for dataset `game`, and the signed `UpdateRecords` that
/// creates record `k` in it.
fn setup() -> (CognitoServer, http::Request<Vec<u8>>) {
    let server = start();
    let token = list_records(&server, "game", None)
        .sync_session_token
        .unwrap();
    let request = signed(
        &server,
        update_records_request("game", &token, vec![patch("k", Some("v"), 0)]),
    );
    (server, request)
}

fn applied(server: &CognitoServer) -> bool {
    server.dataset(POOL, IDENTITY, "game").is_some()
}

#[test]
fn status_faults_answer_with_the_error_and_do_not_apply() {
    let (server, request) = setup();
    server.inject(Fault::for_operation(
        "UpdateRecords",
        FaultKind::throttled(),
    ));
    server.inject(Fault::for_operation(
        "UpdateRecords",
        FaultKind::internal_error(),
    ));
    // Another operation passes the faults by.
    assert!(
        list_records(&server, "game", None)
            .sync_session_token
            .is_some()
    );
    assert_eq!(server.pending_faults(), 2);

    let mut client = Client::connect(&server);
    let throttled = client.call(&request);
    match update_records::parse_response(&throttled) {
        Err(e @ UpdateRecordsError::TooManyRequestsException(_)) => {
            assert!(e.request_id().is_some());
        }
        other => panic!("expected throttling, got {other:?}"),
    }
    let internal = client.call(&request);
    assert_eq!(
        (internal.status().as_u16(), error_code(&internal)),
        (500, Some("InternalErrorException"))
    );
    assert!(!applied(&server));
    let ok = client.call(&request);
    assert_eq!(ok.status(), 200);
    assert!(applied(&server));

    let faults: Vec<_> = server.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults[2..],
        [
            Some(FaultKind::throttled()),
            Some(FaultKind::internal_error()),
            None
        ]
    );
}

#[test]
fn drop_connection_closes_without_an_answer() {
    let (server, request) = setup();
    server.inject(FaultKind::DropConnection);
    let mut client = Client::connect(&server);
    client.send(&request);
    assert!(client.read_response().is_err());
    assert!(!applied(&server));
    let last = server.requests().pop().unwrap();
    assert_eq!(
        (last.fault, last.status),
        (Some(FaultKind::DropConnection), None)
    );
    // The retry, on a new connection, goes through.
    assert_eq!(Client::connect(&server).call(&request).status(), 200);
    assert!(applied(&server));
}

#[test]
fn delay_applies_the_request_even_if_the_client_gives_up() {
    let (server, request) = setup();
    server.inject(Fault::for_operation(
        "UpdateRecords",
        FaultKind::Delay(Duration::from_millis(400)),
    ));
    let mut client = Client::connect(&server);
    client.set_read_timeout(Duration::from_millis(50));
    client.send(&request);
    let started = Instant::now();
    assert!(client.read_response().is_err(), "client times out");
    assert!(!applied(&server));
    while !applied(&server) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "applied after the delay"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The client's retry now conflicts: the first attempt went through.
    let retry = Client::connect(&server).call(&request);
    assert_eq!(error_code(&retry), Some("ResourceConflictException"));
}

#[test]
fn invalid_json_is_applied_but_the_answer_cannot_be_read() {
    let (server, request) = setup();
    server.inject(FaultKind::InvalidJson);
    let response = Client::connect(&server).call(&request);
    assert_eq!(response.status(), 200);
    assert!(serde_json::from_slice::<serde_json::Value>(response.body()).is_err());
    assert!(matches!(
        update_records::parse_response(&response),
        Err(UpdateRecordsError::Response(_))
    ));
    assert!(applied(&server));
}

#[test]
fn wrong_content_type_is_an_html_page_and_not_applied() {
    let (server, request) = setup();
    server.inject(FaultKind::WrongContentType);
    let response = Client::connect(&server).call(&request);
    assert_eq!(response.status(), 200);
    assert!(
        header(&response, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8_lossy(response.body()).contains("<html>"));
    assert!(update_records::parse_response(&response).is_err());
    assert!(!applied(&server));

    // The same for a read: the client cannot take the page for an answer.
    server.inject(FaultKind::WrongContentType);
    let listed = call(&server, list_records_request("game", None, None, None));
    assert!(matches!(
        botogen_cognito_sync::operation::list_records::parse_response(&listed),
        Err(ListRecordsError::Response(_))
    ));
}

#[test]
fn raw_faults_write_their_bytes_and_close() {
    let (server, request) = setup();
    server.inject(FaultKind::Raw(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy".to_vec(),
    ));
    let mut client = Client::connect(&server);
    let response = client.call(&request);
    assert_eq!(
        (response.status().as_u16(), response.body().as_slice()),
        (503, &b"busy"[..])
    );
    assert!(client.is_closed());
    assert!(!applied(&server));
    assert_eq!(server.requests().pop().unwrap().status, None);
}
