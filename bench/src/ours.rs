//! The generated crate's side: builders plus the sans-IO `serialize_request` /
//! `parse_response`. No endpoint, no signing, no I/O.

use botogen_cognito_sync::Validation;
use botogen_cognito_sync::operation::{list_records, update_records};
use botogen_cognito_sync::primitives::DateTime;
use botogen_cognito_sync::types::{
    ListRecordsResponse, Operation, RecordPatch, UpdateRecordsRequest, UpdateRecordsResponse,
};

use crate::fixtures::{self, Fixtures};

/// Builds the `UpdateRecords` input (10 patches) and serializes it, validation on.
pub fn update_records_request(fx: &Fixtures) -> http::Request<Vec<u8>> {
    let patches = fx.patches.iter().map(|p| {
        RecordPatch::builder()
            .op(Operation::Replace)
            .key(p.key.as_str())
            .value(p.value.as_str())
            .sync_count(p.sync_count)
            .device_last_modified_date(DateTime::from_secs_f64(p.device_date).expect("valid date"))
            .build()
            .expect("all required members set")
    });
    let input = UpdateRecordsRequest::builder()
        .identity_pool_id(fixtures::IDENTITY_POOL_ID)
        .identity_id(fixtures::IDENTITY_ID)
        .dataset_name(fixtures::DATASET_NAME)
        .device_id(fixtures::DEVICE_ID)
        .record_patches(patches)
        .sync_session_token(fixtures::SYNC_SESSION_TOKEN)
        .build()
        .expect("all required members set");
    update_records::serialize_request(&input, Validation::Enabled).expect("valid input")
}

/// Parses a `ListRecords` answer.
pub fn list_records(
    response: &http::Response<bytes::Bytes>,
) -> Result<ListRecordsResponse, list_records::ListRecordsError> {
    list_records::parse_response(response)
}

/// Parses an `UpdateRecords` answer (the 409 of the error row).
pub fn error(
    response: &http::Response<String>,
) -> Result<UpdateRecordsResponse, update_records::UpdateRecordsError> {
    update_records::parse_response(response)
}
