//! The inputs both sides work on, generated deterministically once, and the checks that
//! both sides produced the same thing.

use std::fmt::Write as _;

use botogen_runtime::Document;
use botogen_runtime::document::Number;

pub const IDENTITY_POOL_ID: &str = "us-east-1:0f8b3c2a-6d1e-4b7a-9c3d-1e2f3a4b5c6d";
pub const IDENTITY_ID: &str = "us-east-1:7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
pub const DATASET_NAME: &str = "game-settings";
pub const DEVICE_ID: &str = "device-0123456789";
pub const SYNC_SESSION_TOKEN: &str = "sync-session-token-0123456789abcdef";
pub const REQUEST_ID: &str = "2b9bd2a4-8a4f-4c1e-9d0e-5f6a7b8c9d0e";

/// The body of the canned 200 answer to `UpdateRecords` (the SDK side parses it).
pub const UPDATE_RECORDS_OK: &str = r#"{"Records":[]}"#;

/// The message of the canned `ResourceConflictException`.
pub const ERROR_MESSAGE: &str = "Current SyncCount for: key-3 is: 5 not: 4";

/// How many records the `ListRecords` response holds.
pub const LIST_RECORDS: usize = 1000;

/// One record patch of the `UpdateRecords` input.
pub struct Patch {
    pub key: String,
    pub value: String,
    pub sync_count: i64,
    /// `DeviceLastModifiedDate`, epoch seconds.
    pub device_date: f64,
}

/// Everything generated once at start.
pub struct Fixtures {
    /// Ten patches, keys `key-0`..`key-9`, values of 21 characters, op `replace`.
    pub patches: Vec<Patch>,
    /// The `ListRecords` response body of [`LIST_RECORDS`] records.
    pub list_records_body: bytes::Bytes,
}

/// A small deterministic generator (xorshift64*), so the body is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `len` characters from a JSON-safe alphabet (letters, digits, space, `-`).
    fn text(&mut self, out: &mut String, len: usize) {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -";
        for _ in 0..len {
            out.push(char::from(
                ALPHABET[(self.next() % ALPHABET.len() as u64) as usize],
            ));
        }
    }
}

impl Fixtures {
    pub fn new() -> Fixtures {
        let patches = (0..10)
            .map(|i| Patch {
                key: format!("key-{i}"),
                value: format!("value-{i:02}-abcdefghijkl"),
                sync_count: 3 + i,
                device_date: 1_700_000_000.5 + i as f64,
            })
            .collect();
        Fixtures {
            patches,
            list_records_body: bytes::Bytes::from(list_records_body()),
        }
    }

    /// The `ListRecords` answer as our parser takes it.
    pub fn list_records_response(&self) -> http::Response<bytes::Bytes> {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-amzn-requestid", REQUEST_ID)
            .body(self.list_records_body.clone())
            .expect("valid response")
    }

    /// The same answer for the SDK's HTTP client.
    pub fn list_records_canned(&self) -> crate::sdk::CannedClient {
        crate::sdk::CannedClient::new(
            200,
            &[
                ("content-type", "application/json"),
                ("x-amzn-requestid", REQUEST_ID),
            ],
            self.list_records_body.clone(),
        )
    }
}

/// Headers of the canned `ResourceConflictException` answer.
pub const ERROR_HEADERS: [(&str, &str); 3] = [
    ("content-type", "application/x-amz-json-1.1"),
    (
        "x-amzn-errortype",
        "ResourceConflictException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/",
    ),
    ("x-amzn-requestid", REQUEST_ID),
];

/// The body of the canned `ResourceConflictException` answer.
pub fn error_body() -> String {
    format!(r#"{{"message":"{ERROR_MESSAGE}"}}"#)
}

/// A 409 `ResourceConflictException` as our parser takes it.
pub fn error_response() -> http::Response<String> {
    let mut builder = http::Response::builder().status(409);
    for (name, value) in ERROR_HEADERS {
        builder = builder.header(name, value);
    }
    builder.body(error_body()).expect("valid response")
}

/// Key of record `i`: 20 characters.
fn record_key(i: usize) -> String {
    format!("record-key-{i:06}-abc")
}

/// The `ListRecords` body: every member of the output, [`LIST_RECORDS`] records with all six
/// members (key of 20 characters, value of 100, modifier of 30, fractional epoch dates).
fn list_records_body() -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut body = String::with_capacity(300 * LIST_RECORDS);
    body.push_str(r#"{"Records":["#);
    for i in 0..LIST_RECORDS {
        if i > 0 {
            body.push(',');
        }
        let _ = write!(body, r#"{{"Key":"{}","Value":""#, record_key(i));
        rng.text(&mut body, 100);
        let _ = write!(
            body,
            r#"","SyncCount":{},"LastModifiedDate":{}.{:03},"LastModifiedBy":"#,
            rng.next() % 1000,
            1_700_000_000 + i * 37,
            rng.next() % 1000
        );
        body.push('"');
        rng.text(&mut body, 30);
        let _ = write!(
            body,
            r#"","DeviceLastModifiedDate":{}.{:03}}}"#,
            1_699_999_000 + i * 37,
            rng.next() % 1000
        );
    }
    let _ = write!(
        body,
        concat!(
            r#"],"NextToken":"{}","Count":{},"DatasetSyncCount":4242,"#,
            r#""LastModifiedBy":"us-east-1:modifier-0123456789","#,
            r#""MergedDatasetNames":["merged-dataset-a","merged-dataset-b"],"#,
            r#""DatasetExists":true,"DatasetDeletedAfterRequestedSyncCount":false,"#,
            r#""SyncSessionToken":"{}"}}"#
        ),
        "next-token-".repeat(8),
        LIST_RECORDS,
        SYNC_SESSION_TOKEN
    );
    body
}

/// Parses JSON text into a [`Document`] with every number as `f64`, so `1` and `1.0` match.
fn normalized(text: &[u8]) -> Result<Document, String> {
    fn walk(doc: Document) -> Document {
        match doc {
            Document::Number(n) => Document::Number(Number::Float(n.as_f64())),
            Document::Array(items) => Document::Array(items.into_iter().map(walk).collect()),
            Document::Object(members) => {
                Document::Object(members.into_iter().map(|(k, v)| (k, walk(v))).collect())
            }
            other => other,
        }
    }
    let text = std::str::from_utf8(text).map_err(|e| e.to_string())?;
    Document::from_json(text)
        .map(walk)
        .map_err(|e| format!("{e:?} in {text}"))
}

/// Whether two JSON bodies are equal modulo member order and number spelling.
pub fn same_json(ours: &[u8], sdk: &[u8]) -> Result<(), String> {
    let (a, b) = (normalized(ours)?, normalized(sdk)?);
    if a == b {
        Ok(())
    } else {
        Err(format!(
            "bodies differ:\n ours {}\n sdk  {}",
            String::from_utf8_lossy(ours),
            String::from_utf8_lossy(sdk)
        ))
    }
}

/// Whether both parsed `ListRecords` outputs hold the same values.
pub fn same_list_records(
    ours: &botogen_cognito_sync::types::ListRecordsResponse,
    sdk: &aws_sdk_cognitosync::operation::list_records::ListRecordsOutput,
) -> Result<(), String> {
    let records = ours.records.as_deref().unwrap_or_default();
    if records.len() != LIST_RECORDS || sdk.records().len() != LIST_RECORDS {
        return Err(format!(
            "record counts: ours {}, SDK {}",
            records.len(),
            sdk.records().len()
        ));
    }
    for (i, (a, b)) in records.iter().zip(sdk.records()).enumerate() {
        let same = a.key.as_deref() == b.key()
            && a.key.as_deref() == Some(record_key(i).as_str())
            && a.value.as_deref() == b.value()
            && a.sync_count == b.sync_count()
            && a.last_modified_by.as_deref() == b.last_modified_by()
            && a.last_modified_date.as_ref().map(|d| d.as_secs_f64())
                == b.last_modified_date().map(|d| d.as_secs_f64())
            && a.device_last_modified_date
                .as_ref()
                .map(|d| d.as_secs_f64())
                == b.device_last_modified_date().map(|d| d.as_secs_f64());
        if !same {
            return Err(format!("record {i} differs:\n ours {a:?}\n sdk  {b:?}"));
        }
    }
    let same_top = ours.next_token.as_deref() == sdk.next_token()
        && ours.count == Some(sdk.count())
        && ours.dataset_sync_count == sdk.dataset_sync_count()
        && ours.last_modified_by.as_deref() == sdk.last_modified_by()
        && ours.merged_dataset_names.as_deref().unwrap_or_default() == sdk.merged_dataset_names()
        && ours.dataset_exists == Some(sdk.dataset_exists())
        && ours.dataset_deleted_after_requested_sync_count
            == Some(sdk.dataset_deleted_after_requested_sync_count())
        && ours.sync_session_token.as_deref() == sdk.sync_session_token();
    if !same_top {
        return Err(String::from("top-level members differ"));
    }
    Ok(())
}
