//! The official SDK's side: a real `Client` whose HTTP client answers from memory.

use std::sync::Arc;

use aws_credential_types::Credentials;
use aws_sdk_cognitosync::config::{BehaviorVersion, Region};
use aws_sdk_cognitosync::error::SdkError;
use aws_sdk_cognitosync::operation::list_records::{ListRecordsError, ListRecordsOutput};
use aws_sdk_cognitosync::operation::update_records::{UpdateRecordsError, UpdateRecordsOutput};
use aws_sdk_cognitosync::types::{Operation, RecordPatch};
use aws_sdk_cognitosync::{Client, Config};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::DateTime;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;

use crate::fixtures::{self, Fixtures};

/// An HTTP client that drops each request and answers every call with the same canned
/// response (the body is shared `Bytes`, not copied).
#[derive(Clone, Debug)]
pub struct CannedClient(Arc<Canned>);

#[derive(Debug)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: bytes::Bytes,
}

impl CannedClient {
    pub fn new(
        status: u16,
        headers: &[(&'static str, &'static str)],
        body: impl Into<bytes::Bytes>,
    ) -> CannedClient {
        CannedClient(Arc::new(Canned {
            status,
            headers: headers.to_vec(),
            body: body.into(),
        }))
    }

    /// The 409 `ResourceConflictException` of the error row.
    pub fn error() -> CannedClient {
        CannedClient::new(409, &fixtures::ERROR_HEADERS, fixtures::error_body())
    }

    fn response(&self) -> HttpResponse {
        let canned = &self.0;
        let status = StatusCode::try_from(canned.status).expect("valid status");
        let mut response = HttpResponse::new(status, SdkBody::from(canned.body.clone()));
        for (name, value) in &canned.headers {
            response.headers_mut().insert(*name, *value);
        }
        response
    }
}

impl HttpConnector for CannedClient {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        std::hint::black_box(request);
        HttpConnectorFuture::ready(Ok(self.response()))
    }
}

impl HttpClient for CannedClient {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.clone().into_shared()
    }
}

/// A client: fixed region, latest behavior version, retries off, test credentials (or, with
/// `signed` false, no credentials and `allow_no_auth`, so nothing is signed).
pub fn client(http: impl HttpClient + 'static, signed: bool) -> Client {
    let mut config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::from_static("us-east-1"))
        .retry_config(RetryConfig::disabled())
        .http_client(http);
    config = if signed {
        config.credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "botogen-bench",
        ))
    } else {
        config.allow_no_auth()
    };
    Client::from_conf(config.build())
}

/// `UpdateRecords` with the same 10 patches as ours, built and sent.
pub async fn update_records(
    client: &Client,
    fx: &Fixtures,
) -> Result<UpdateRecordsOutput, SdkError<UpdateRecordsError, HttpResponse>> {
    let patches = fx
        .patches
        .iter()
        .map(|p| {
            RecordPatch::builder()
                .op(Operation::Replace)
                .key(p.key.as_str())
                .value(p.value.as_str())
                .sync_count(p.sync_count)
                .device_last_modified_date(DateTime::from_secs_f64(p.device_date))
                .build()
                .expect("all required members set")
        })
        .collect();
    client
        .update_records()
        .identity_pool_id(fixtures::IDENTITY_POOL_ID)
        .identity_id(fixtures::IDENTITY_ID)
        .dataset_name(fixtures::DATASET_NAME)
        .device_id(fixtures::DEVICE_ID)
        .set_record_patches(Some(patches))
        .sync_session_token(fixtures::SYNC_SESSION_TOKEN)
        .send()
        .await
}

/// `UpdateRecords` with only the required members (the error row: the least request work
/// the SDK needs before it can read an answer).
pub async fn update_records_minimal(
    client: &Client,
) -> Result<UpdateRecordsOutput, SdkError<UpdateRecordsError, HttpResponse>> {
    client
        .update_records()
        .identity_pool_id(fixtures::IDENTITY_POOL_ID)
        .identity_id(fixtures::IDENTITY_ID)
        .dataset_name(fixtures::DATASET_NAME)
        .sync_session_token(fixtures::SYNC_SESSION_TOKEN)
        .send()
        .await
}

/// The request the SDK sends for [`update_records`], captured with `capture_request`.
pub async fn capture_update_records(fx: &Fixtures, signed: bool) -> HttpRequest {
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(SdkBody::from(fixtures::UPDATE_RECORDS_OK))
        .expect("valid response");
    let (http, request) = aws_smithy_http_client::test_util::capture_request(Some(response));
    let client = client(http, signed);
    update_records(&client, fx).await.expect("canned 200");
    request.expect_request()
}

/// `ListRecords` for the dataset, sent.
pub async fn list_records(
    client: &Client,
) -> Result<ListRecordsOutput, SdkError<ListRecordsError, HttpResponse>> {
    client
        .list_records()
        .identity_pool_id(fixtures::IDENTITY_POOL_ID)
        .identity_id(fixtures::IDENTITY_ID)
        .dataset_name(fixtures::DATASET_NAME)
        .send()
        .await
}
