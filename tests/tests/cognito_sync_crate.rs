//! The committed Cognito Sync crate: fresh, and behaving as its docs say.

use botogen_cognito_sync::BuildError;
use botogen_cognito_sync::primitives::DateTime;
use botogen_cognito_sync::types::*;

#[test]
fn committed_crate_is_what_the_model_gives() {
    // The same check as `cargo xtask codegen --check`, so plain `cargo test` catches a stale
    // `generated/` too.
    xtask::codegen::run(&["--check".to_owned()]).unwrap_or_else(|message| panic!("{message}"));
}

#[test]
fn builders_report_the_missing_required_member() {
    let err: BuildError = ListRecordsRequest::builder()
        .identity_pool_id("us-east-1:pool")
        .identity_id("us-east-1:0c2f7fa0-0000-4000-8000-000000000000")
        .build()
        .unwrap_err();
    assert_eq!(err.member(), "dataset_name");
    assert_eq!(
        err.to_string(),
        "cannot build `ListRecordsRequest`: required member `dataset_name` was not set"
    );
}

#[test]
fn an_update_records_request_can_be_built() {
    let patch = RecordPatch::builder()
        .op(Operation::Replace)
        .key("high score")
        .value("42")
        .sync_count(3)
        .device_last_modified_date(DateTime::from_secs(1_700_000_000))
        .build()
        .unwrap();
    let request = UpdateRecordsRequest::builder()
        .identity_pool_id("us-east-1:pool")
        .identity_id("us-east-1:id")
        .dataset_name("scores")
        .sync_session_token("token")
        .record_patches([patch.clone(), patch])
        .build()
        .unwrap();
    assert_eq!(request.record_patches.as_ref().map(Vec::len), Some(2));
    assert_eq!(request.dataset_name, "scores");
    assert_eq!(request.device_id, None);
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(Platform::from("APNS_SANDBOX"), Platform::ApnsSandbox);
    assert_eq!(Platform::ApnsSandbox.as_str(), "APNS_SANDBOX");
    let future = Platform::from("WNS");
    assert_eq!(future.as_str(), "WNS");
    assert!(matches!(future, Platform::Unknown(_)));
    assert_eq!(Operation::values(), &["replace", "remove"]);
    assert_eq!(
        BulkPublishStatus::from("SUCCEEDED").to_string(),
        "SUCCEEDED"
    );
}

#[test]
fn outputs_are_lenient_and_errors_are_plain_structs() {
    let records = ListRecordsResponse::builder().count(0).build();
    assert_eq!(records.records, None);
    let err = ResourceConflictException::builder()
        .message("stale sync count")
        .build();
    assert_eq!(err.message.as_deref(), Some("stale sync count"));
    // `required` on exceptions is not trusted: a message-less error still builds.
    assert_eq!(ResourceConflictException::builder().build().message, None);
}
