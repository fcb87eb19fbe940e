//! The Cognito Sync crate on the wire: requests it builds and responses it reads, checked
//! against what the rest-json protocol and the service expect.

use botogen_cognito_sync::Validation;
use botogen_cognito_sync::operation::{
    describe_dataset, list_records, set_cognito_events, update_records,
};
use botogen_cognito_sync::primitives::DateTime;
use botogen_cognito_sync::types::*;

const POOL: &str = "us-east-1:0c2f7fa0-0000-4000-8000-000000000000";
const IDENTITY: &str = "us-east-1:9e4c1a7b-1111-4222-8333-444455556666";

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn list_records_puts_labels_in_the_path_and_paging_in_the_query() {
    let input = ListRecordsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("game:scores")
        .last_sync_count(7)
        .next_token("a b/c+d")
        .max_results(50)
        .build()
        .unwrap();
    let request = list_records::serialize_request(&input, Validation::Enabled).unwrap();
    assert_eq!(request.method(), "GET");
    assert_eq!(
        request.uri().to_string(),
        "/identitypools/us-east-1%3A0c2f7fa0-0000-4000-8000-000000000000/identities/us-east-1%3A9e4c1a7b-1111-4222-8333-444455556666/datasets/game%3Ascores/records?lastSyncCount=7&nextToken=a%20b%2Fc%2Bd&maxResults=50"
    );
    // A GET with no body members sends no body and no content headers.
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());
    assert!(request.headers().get("content-length").is_none());
}

#[test]
fn update_records_sends_a_json_body_and_the_client_context_header() {
    let patch = RecordPatch::builder()
        .op(Operation::Replace)
        .key("high score")
        .value("42")
        .sync_count(3)
        .device_last_modified_date(DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000))
        .build()
        .unwrap();
    let removal = RecordPatch::builder()
        .op("remove")
        .key("old")
        .sync_count(1)
        .build()
        .unwrap();
    let input = UpdateRecordsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("scores")
        .device_id("device-1")
        .record_patches([patch, removal])
        .sync_session_token("SYNC")
        .client_context("eyJjbGllbnQiOnt9fQ==")
        .build()
        .unwrap();
    let request = update_records::serialize_request(&input, Validation::Enabled).unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(
        request.headers()["x-amz-client-context"],
        "eyJjbGllbnQiOnt9fQ=="
    );
    assert_eq!(
        request.headers()["content-length"],
        request.body().len().to_string()
    );
    assert_eq!(
        json(request.body()),
        serde_json::json!({
            "DeviceId": "device-1",
            "RecordPatches": [
                {"Op": "replace", "Key": "high score", "Value": "42", "SyncCount": 3, "DeviceLastModifiedDate": 1_700_000_000.5},
                {"Op": "remove", "Key": "old", "SyncCount": 1}
            ],
            "SyncSessionToken": "SYNC"
        })
    );
}

#[test]
fn set_cognito_events_sends_a_map() {
    let input = SetCognitoEventsRequest::builder()
        .identity_pool_id(POOL)
        .events([(
            "SyncTrigger".to_owned(),
            "arn:aws:lambda:us-east-1:123456789012:function:f".to_owned(),
        )])
        .build()
        .unwrap();
    let request = set_cognito_events::serialize_request(&input, Validation::Enabled).unwrap();
    assert_eq!(
        request.uri().path(),
        "/identitypools/us-east-1%3A0c2f7fa0-0000-4000-8000-000000000000/events"
    );
    assert_eq!(
        json(request.body()),
        serde_json::json!({"Events": {"SyncTrigger": "arn:aws:lambda:us-east-1:123456789012:function:f"}})
    );
}

#[test]
fn validation_names_the_member_and_the_rule_and_can_be_switched_off() {
    let patch = RecordPatch::builder()
        .op(Operation::Replace)
        .key("")
        .sync_count(1)
        .build()
        .unwrap();
    let input = UpdateRecordsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("scores")
        .sync_session_token("SYNC")
        .record_patches([patch])
        .build()
        .unwrap();
    let err = update_records::serialize_request(&input, Validation::Enabled).unwrap_err();
    let update_records::UpdateRecordsError::Validation(validation) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(validation.path(), "RecordPatches[0].Key");
    assert_eq!(validation.rule(), "length 0 is below the minimum 1");
    assert!(err.to_string().contains("RecordPatches[0].Key"), "{err}");
    assert!(!err.is_retryable());
    // Switched off, the same input is sent as it is.
    assert!(update_records::serialize_request(&input, Validation::Disabled).is_ok());

    let bad_pool = DescribeDatasetRequest::builder()
        .identity_pool_id("pool")
        .identity_id(IDENTITY)
        .dataset_name("d")
        .build()
        .unwrap();
    let err = describe_dataset::serialize_request(&bad_pool, Validation::Enabled).unwrap_err();
    assert!(
        err.to_string()
            .contains("IdentityPoolId: does not match the pattern"),
        "{err}"
    );
    let too_long = DescribeDatasetRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("d".repeat(129))
        .build()
        .unwrap();
    let err = describe_dataset::serialize_request(&too_long, Validation::Enabled).unwrap_err();
    assert!(
        err.to_string()
            .contains("DatasetName: length 129 is above the maximum 128"),
        "{err}"
    );
    let empty_label = DescribeDatasetRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("")
        .build()
        .unwrap();
    let err = describe_dataset::serialize_request(&empty_label, Validation::Enabled).unwrap_err();
    assert!(err.to_string().contains("DatasetName"), "{err}");
}

#[test]
fn header_values_that_http_cannot_carry_are_rejected_not_sent() {
    let input = UpdateRecordsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("scores")
        .sync_session_token("SYNC")
        .client_context("line\nbreak")
        .build()
        .unwrap();
    let err = update_records::serialize_request(&input, Validation::Disabled).unwrap_err();
    assert!(err.to_string().contains("ClientContext"), "{err}");
}

#[test]
fn list_records_response_is_read_leniently() {
    let body = r#"{
        "Records": [
            {"Key": "k1", "Value": "v1", "SyncCount": 3, "LastModifiedDate": 1.7E9, "LastModifiedBy": "me",
             "DeviceLastModifiedDate": 1700000000.25, "FutureField": {"nested": [1, 2, {"x": null}]}},
            {"Key": "k2", "Value": null, "SyncCount": 4}
        ],
        "NextToken": null,
        "Count": 2,
        "DatasetSyncCount": 4,
        "MergedDatasetNames": ["a", "b"],
        "DatasetExists": true,
        "SyncSessionToken": "SYNC"
    }"#;
    let output = list_records::parse_response(&response(200, &[], body)).unwrap();
    let records = output.records.as_deref().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].key.as_deref(), Some("k1"));
    assert_eq!(
        records[0].last_modified_date,
        Some(DateTime::from_secs(1_700_000_000))
    );
    assert_eq!(
        records[0].device_last_modified_date,
        Some(DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000))
    );
    assert_eq!(records[1].value, None);
    assert_eq!(output.next_token, None);
    assert_eq!(output.count, Some(2));
    assert_eq!(
        output.merged_dataset_names.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(output.dataset_exists, Some(true));
    // An empty body is an output with nothing set.
    let empty = list_records::parse_response(&response(200, &[], "")).unwrap();
    assert_eq!(empty.records, None);
}

#[test]
fn modelled_errors_are_typed_with_code_message_and_request_id() {
    let resp = response(
        409,
        &[
            (
                "x-amzn-ErrorType",
                "ResourceConflictException:http://internal.amazon.com/coral/",
            ),
            ("x-amzn-RequestId", "req-123"),
        ],
        r#"{"message": "stale sync count"}"#,
    );
    let err = update_records::parse_response(&resp).unwrap_err();
    let update_records::UpdateRecordsError::ResourceConflictException(conflict) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(conflict.message.as_deref(), Some("stale sync count"));
    assert_eq!(err.code(), Some("ResourceConflictException"));
    assert_eq!(err.message(), Some("stale sync count"));
    assert_eq!(err.request_id(), Some("req-123"));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "ResourceConflictException: stale sync count (HTTP 409, request id req-123)"
    );

    // The code may come from the body instead, with a namespace.
    let resp = response(
        429,
        &[],
        r#"{"__type": "com.amazonaws.cognitosync#TooManyRequestsException", "message": "slow down"}"#,
    );
    let err = update_records::parse_response(&resp).unwrap_err();
    assert!(
        matches!(
            err,
            update_records::UpdateRecordsError::TooManyRequestsException(_)
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    let resp = response(
        429,
        &[],
        r#"{"__type": "LambdaThrottledException", "message": "later"}"#,
    );
    assert!(
        update_records::parse_response(&resp)
            .unwrap_err()
            .is_retryable()
    );

    // Every operation error converts into the service error, keeping its helpers.
    let service: botogen_cognito_sync::Error = err.into();
    assert_eq!(service.code(), Some("TooManyRequestsException"));
    assert!(matches!(
        service,
        botogen_cognito_sync::Error::TooManyRequestsException(_)
    ));
}

#[test]
fn unmodelled_errors_keep_code_status_and_body() {
    let resp = response(
        503,
        &[("x-amzn-RequestId", "r-9")],
        r#"{"code": "ServiceUnavailable", "Message": "try later"}"#,
    );
    let err = list_records::parse_response(&resp).unwrap_err();
    let list_records::ListRecordsError::Unhandled(unhandled) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(unhandled.meta().status(), Some(503));
    assert_eq!(unhandled.body(), resp.body().as_slice());
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(err.message(), Some("try later"));
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "ServiceUnavailable: try later (HTTP 503, request id r-9)"
    );
    // No code at all, not even JSON: still an unhandled error with the status.
    let err =
        list_records::parse_response(&response(502, &[], "<html>Bad Gateway</html>")).unwrap_err();
    assert_eq!(err.code(), Some("Unknown"));
    assert!(err.is_retryable());
}

#[test]
fn malformed_responses_are_typed_errors() {
    for body in [
        r#"{"Records": [{"Key": 5}]}"#,
        r#"{"Count": "two"}"#,
        "{",
        "[]",
        r#"{"Records": {}}"#,
        "\u{0}",
    ] {
        let err = list_records::parse_response(&response(200, &[("x-amzn-RequestId", "r")], body))
            .unwrap_err();
        let list_records::ListRecordsError::Response(response_error) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(response_error.status(), 200);
        assert_eq!(err.request_id(), Some("r"));
        assert!(
            err.to_string()
                .starts_with("unreadable response (HTTP 200)"),
            "{err}"
        );
    }
    // A modelled error whose body is broken is reported as unreadable, not as the error.
    let resp = response(
        404,
        &[("x-amzn-ErrorType", "ResourceNotFoundException")],
        r#"{"message": 12}"#,
    );
    let err = describe_dataset::parse_response(&resp).unwrap_err();
    assert!(
        matches!(err, describe_dataset::DescribeDatasetError::Response(_)),
        "{err:?}"
    );
}
