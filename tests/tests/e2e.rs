//! End to end over real TCP: the generated client (reqwest transport, SigV4, retries,
//! timeouts, paginators) against the emulated Cognito Sync server of
//! `botogen_tests::cognito_server`, which checks every signature with `aws-sigv4`.
//!
//! Every test asserts what the client returned *and* what the server saw and holds: how many
//! attempts reached it, that each was signed correctly, and that the dataset changed exactly
//! as often as it should (nothing lost, nothing duplicated).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use botogen_cognito_sync::client::{Credentials, RetryConfig, SdkError, Timeouts};
use botogen_cognito_sync::operation::delete_dataset::DeleteDatasetError;
use botogen_cognito_sync::operation::describe_dataset::DescribeDatasetError;
use botogen_cognito_sync::operation::list_records::ListRecordsError;
use botogen_cognito_sync::operation::update_records::UpdateRecordsError;
use botogen_cognito_sync::types::{Operation, RecordPatch};
use botogen_cognito_sync::{Client, Config};
use botogen_runtime::transport::ReqwestClient;
use botogen_tests::cognito_server::{
    CognitoServer, Fault, FaultKind, RequestRecord, ServerConfig, SignatureVerdict,
};

#[path = "../../generated/examples/sync_session/session.rs"]
mod example_session;

const AKID: &str = "AKIDE2ETEST";
const SECRET: &str = "e2e/secret+KEY";
const TOKEN: &str = "session-token-of-a-cognito-identity";
const REGION: &str = "us-east-1";
const POOL: &str = "us-east-1:11111111-2222-3333-4444-555555555555";
const IDENTITY: &str = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

fn server() -> CognitoServer {
    CognitoServer::start(ServerConfig::new(AKID, SECRET, REGION).session_token(TOKEN))
        .expect("server starts")
}

/// A client for `server` with fast backoff and a 700 ms per-attempt timeout.
fn client(server: &CognitoServer) -> Client {
    client_with(server, |config| config)
}

fn client_with(
    server: &CognitoServer,
    tweak: impl FnOnce(
        botogen_cognito_sync::client::ConfigBuilder,
    ) -> botogen_cognito_sync::client::ConfigBuilder,
) -> Client {
    let config = Config::builder_without_env()
        .region(REGION)
        .credentials(Credentials::new(AKID, SECRET, Some(TOKEN.to_owned())))
        .endpoint_url(server.url())
        .http_client(ReqwestClient::new(Some(Duration::from_secs(2))).expect("reqwest client"))
        .retry(
            RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .timeouts(
            Timeouts::default()
                .with_connect(Some(Duration::from_secs(2)))
                .with_read(Some(Duration::from_millis(700))),
        );
    Client::new(tweak(config).build().expect("config"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The requests the server logged for `operation`.
fn requests_for(server: &CognitoServer, operation: &str) -> Vec<RequestRecord> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.operation == Some(operation))
        .collect()
}

fn assert_all_signed(server: &CognitoServer) {
    for request in server.requests() {
        assert_eq!(
            request.signature,
            SignatureVerdict::Valid,
            "{} {}?{}",
            request.method,
            request.path,
            request.query
        );
        assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    }
}

fn replace(key: &str, value: &str, sync_count: i64) -> RecordPatch {
    RecordPatch::builder()
        .op(Operation::Replace)
        .key(key)
        .value(value)
        .sync_count(sync_count)
        .build()
        .expect("patch")
}

/// `ListRecords` from the start: records and the session token.
async fn list_all(
    client: &Client,
    dataset: &str,
) -> (Vec<botogen_cognito_sync::types::Record>, String) {
    let output = client
        .list_records()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name(dataset)
        .send()
        .await
        .expect("list records");
    (
        output.records.unwrap_or_default(),
        output.sync_session_token.expect("session token"),
    )
}

#[test]
fn a_whole_sync_session_through_the_public_client() {
    let server = server();
    server.seed_records(
        POOL,
        IDENTITY,
        "settings",
        &[("theme", "dark"), ("lang", "en")],
    );
    let client = client(&server);
    runtime().block_on(async {
        // List datasets.
        let datasets = client
            .list_datasets()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .send()
            .await
            .expect("list datasets");
        let names: Vec<_> = datasets
            .datasets
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| d.dataset_name)
            .collect();
        assert_eq!(names, ["settings"]);

        // List records: the seeded ones, with their sync counts.
        let (records, token) = list_all(&client, "settings").await;
        let theme = records
            .iter()
            .find(|r| r.key.as_deref() == Some("theme"))
            .expect("theme");
        assert_eq!(theme.value.as_deref(), Some("dark"));
        let theme_count = theme.sync_count.expect("sync count");

        // Update with patches: change one record, add one.
        let updated = client
            .update_records()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("settings")
            .sync_session_token(&token)
            .device_id("device-1")
            .record_patches([
                replace("theme", "light", theme_count),
                replace("volume", "7", 0),
            ])
            .send()
            .await
            .expect("update records");
        assert_eq!(updated.records.unwrap_or_default().len(), 2);
        let snapshot = server.dataset(POOL, IDENTITY, "settings").expect("dataset");
        assert_eq!(snapshot.value("theme"), Some("light"));
        assert_eq!(snapshot.value("volume"), Some("7"));
        let count_after_first = snapshot.sync_count;

        // A second device still holds the old sync count: conflict, nothing changes.
        let stale = client
            .update_records()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("settings")
            .sync_session_token(&token)
            .record_patches([replace("theme", "blue", theme_count)])
            .send()
            .await
            .expect_err("stale sync count");
        let Some(UpdateRecordsError::ResourceConflictException(conflict)) = stale.service_error()
        else {
            panic!("expected ResourceConflictException, got {stale:?}");
        };
        assert!(
            stale.to_string().contains("ResourceConflictException"),
            "{conflict:?}"
        );
        assert_eq!(
            server
                .dataset(POOL, IDENTITY, "settings")
                .unwrap()
                .value("theme"),
            Some("light")
        );

        // Resolve: read again, merge, write with the fresh sync count.
        let (records, token) = list_all(&client, "settings").await;
        let fresh = records
            .iter()
            .find(|r| r.key.as_deref() == Some("theme"))
            .unwrap();
        client
            .update_records()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("settings")
            .sync_session_token(token)
            .record_patches([replace("theme", "blue", fresh.sync_count.unwrap())])
            .send()
            .await
            .expect("resolved update");
        let snapshot = server.dataset(POOL, IDENTITY, "settings").unwrap();
        assert_eq!(snapshot.value("theme"), Some("blue"));
        assert_eq!(snapshot.sync_count, count_after_first + 1);

        // Delete the dataset; it is gone afterwards.
        let deleted = client
            .delete_dataset()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("settings")
            .send()
            .await
            .expect("delete");
        assert_eq!(
            deleted.dataset.and_then(|d| d.dataset_name).as_deref(),
            Some("settings")
        );
        let missing = client
            .describe_dataset()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("settings")
            .send()
            .await
            .expect_err("deleted");
        assert!(
            matches!(
                missing.service_error(),
                Some(DescribeDatasetError::ResourceNotFoundException(_))
            ),
            "{missing:?}"
        );
        let again = client
            .delete_dataset()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("settings")
            .send()
            .await
            .expect_err("already deleted");
        assert!(
            matches!(
                again.service_error(),
                Some(DeleteDatasetError::ResourceNotFoundException(_))
            ),
            "{again:?}"
        );
    });
    assert_all_signed(&server);
    // One attempt per call: nothing was retried.
    assert_eq!(server.requests().len(), 9);
}

#[test]
fn the_example_session_runs_against_the_local_server() {
    let server = server();
    server.seed_records(POOL, IDENTITY, "profile", &[("visits", "41")]);
    let client = client(&server);
    let summary = runtime()
        .block_on(example_session::run_session(
            &client, POOL, IDENTITY, "profile", false,
        ))
        .expect("session");
    assert_eq!(summary.datasets_before, ["profile"]);
    assert_eq!(
        summary.records_read,
        [("visits".to_owned(), Some("41".to_owned()))]
    );
    assert_eq!(summary.conflicts_resolved, 0);
    assert!(!summary.deleted);
    let snapshot = server.dataset(POOL, IDENTITY, "profile").unwrap();
    assert_eq!(snapshot.value("visits"), Some("42"));
    assert!(snapshot.value("last_example_run").is_some());
    assert_eq!(summary.sync_count_after, snapshot.sync_count);

    // A conflicting write between the example's read and its write is resolved by reading again.
    server.inject(Fault::for_operation(
        "UpdateRecords",
        FaultKind::status(
            409,
            "ResourceConflictException",
            "Current SyncCount for: visits is: 2 not: 1",
        ),
    ));
    let summary = runtime()
        .block_on(example_session::run_session(
            &client, POOL, IDENTITY, "profile", true,
        ))
        .expect("session");
    assert_eq!(summary.conflicts_resolved, 1);
    assert!(summary.deleted);
    assert!(server.dataset(POOL, IDENTITY, "profile").is_none());
    assert_all_signed(&server);
}

#[test]
fn paginators_walk_every_page_once() {
    let server = server();
    let records: Vec<(String, String)> = (0..25)
        .map(|i| (format!("key-{i:02}"), format!("v{i}")))
        .collect();
    let pairs: Vec<(&str, &str)> = records
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    server.seed_records(POOL, IDENTITY, "big", &pairs);
    for name in ["a", "b", "c", "d", "e"] {
        server.seed_records(POOL, IDENTITY, name, &[("k", "v")]);
    }
    let client = client(&server);
    runtime().block_on(async {
        let mut pages = client
            .list_records()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .dataset_name("big")
            .into_paginator()
            .page_size(10)
            .send();
        let mut sizes = Vec::new();
        let mut keys = Vec::new();
        while let Some(page) = pages.next_page().await {
            let records = page.expect("page").records.unwrap_or_default();
            sizes.push(records.len());
            keys.extend(records.into_iter().filter_map(|r| r.key));
        }
        assert_eq!(sizes, [10, 10, 5]);
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 25);
        assert_eq!(keys.len(), 25);

        let pages = requests_for(&server, "ListRecords");
        assert_eq!(pages.len(), 3);
        assert!(!pages[0].query.contains("nextToken"));
        assert!(pages[1].query.contains("nextToken") && pages[2].query.contains("nextToken"));
        assert!(pages.iter().all(|r| r.query.contains("maxResults=10")));

        let datasets = client
            .list_datasets()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .max_results(2)
            .into_paginator()
            .items()
            .collect_items()
            .await
            .expect("datasets");
        let mut names: Vec<_> = datasets
            .into_iter()
            .filter_map(|d| d.dataset_name)
            .collect();
        names.sort();
        assert_eq!(names, ["a", "b", "big", "c", "d", "e"]);
        assert_eq!(requests_for(&server, "ListDatasets").len(), 3);

        let usage = client
            .list_identity_pool_usage()
            .into_paginator()
            .page_size(1)
            .items()
            .collect_items()
            .await
            .expect("pool usage");
        assert_eq!(usage.len(), 1);
        assert_eq!(usage[0].identity_pool_id.as_deref(), Some(POOL));
    });
    assert_all_signed(&server);
}

/// Writes `visits = value` over the current record; returns the outcome.
async fn write_visits(
    client: &Client,
    value: &str,
) -> Result<botogen_cognito_sync::types::UpdateRecordsResponse, SdkError<UpdateRecordsError>> {
    let (records, token) = list_all(client, "counter").await;
    let count = records
        .iter()
        .find(|r| r.key.as_deref() == Some("visits"))
        .and_then(|r| r.sync_count)
        .unwrap_or(0);
    client
        .update_records()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("counter")
        .sync_session_token(token)
        .record_patches([replace("visits", value, count)])
        .send()
        .await
}

/// Injects `fault` for the next `UpdateRecords`, writes once through the client, and returns
/// the outcome, the `UpdateRecords` attempts the server saw, and the sync count change.
fn write_with_fault(
    fault: FaultKind,
) -> (
    Result<botogen_cognito_sync::types::UpdateRecordsResponse, SdkError<UpdateRecordsError>>,
    Vec<RequestRecord>,
    i64,
    CognitoServer,
) {
    let server = server();
    server.seed_records(POOL, IDENTITY, "counter", &[("visits", "1")]);
    let before = server
        .dataset(POOL, IDENTITY, "counter")
        .unwrap()
        .sync_count;
    server.inject(Fault::for_operation("UpdateRecords", fault));
    let client = client(&server);
    let outcome = runtime().block_on(write_visits(&client, "2"));
    let attempts = requests_for(&server, "UpdateRecords");
    let after = server
        .dataset(POOL, IDENTITY, "counter")
        .unwrap()
        .sync_count;
    (outcome, attempts, after - before, server)
}

#[test]
fn throttling_then_success_is_retried_and_applied_once() {
    let (outcome, attempts, change, server) = write_with_fault(FaultKind::throttled());
    outcome.expect("retried to success");
    let statuses: Vec<_> = attempts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(200)]);
    assert_eq!(change, 1);
    assert_eq!(
        server
            .dataset(POOL, IDENTITY, "counter")
            .unwrap()
            .value("visits"),
        Some("2")
    );
    assert_all_signed(&server);
}

#[test]
fn server_error_then_success_is_retried_and_applied_once() {
    let (outcome, attempts, change, server) = write_with_fault(FaultKind::internal_error());
    outcome.expect("retried to success");
    let statuses: Vec<_> = attempts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(500), Some(200)]);
    assert_eq!(change, 1);
    assert_all_signed(&server);
}

#[test]
fn a_dropped_connection_is_retried_and_applied_once() {
    let (outcome, attempts, change, server) = write_with_fault(FaultKind::DropConnection);
    outcome.expect("retried to success");
    let statuses: Vec<_> = attempts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [None, Some(200)]);
    assert_eq!(change, 1);
    assert_all_signed(&server);
}

#[test]
fn a_response_slower_than_the_timeout_is_retried_without_duplicating_the_write() {
    let started = Instant::now();
    let (outcome, _, _, server) = write_with_fault(FaultKind::Delay(Duration::from_millis(1_500)));
    // The first attempt timed out after 700 ms; the retry was applied at once.
    let output = outcome.expect("the retry succeeds");
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(output.records.unwrap_or_default().len(), 1);
    // The slow attempt is applied late with the old sync count: the server refuses it as a
    // conflict, so the record changed once.
    std::thread::sleep(Duration::from_millis(1_200));
    let attempts = requests_for(&server, "UpdateRecords");
    let statuses: Vec<_> = attempts.iter().map(|r| r.status).collect();
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    assert!(
        statuses.contains(&Some(200)) && statuses.contains(&Some(409)),
        "{statuses:?}"
    );
    let snapshot = server.dataset(POOL, IDENTITY, "counter").unwrap();
    assert_eq!(snapshot.value("visits"), Some("2"));
    assert_eq!(
        snapshot.record("visits").unwrap().sync_count,
        snapshot.sync_count
    );
    assert_all_signed(&server);
}

#[test]
fn invalid_json_is_a_typed_error_and_not_retried() {
    let (outcome, attempts, change, server) = write_with_fault(FaultKind::InvalidJson);
    let error = outcome.expect_err("unreadable response");
    let Some(UpdateRecordsError::Response(response)) = error.service_error() else {
        panic!("expected a response error, got {error:?}");
    };
    assert_eq!(response.status(), 200);
    assert!(response.request_id().is_some());
    // Not retried: the write was applied once; the caller learns it by reading again.
    assert_eq!(attempts.len(), 1);
    assert_eq!(change, 1);
    let client = client(&server);
    let (records, _) = runtime().block_on(list_all(&client, "counter"));
    let visits = records
        .iter()
        .find(|r| r.key.as_deref() == Some("visits"))
        .unwrap();
    assert_eq!(visits.value.as_deref(), Some("2"));
}

#[test]
fn a_wrong_content_type_is_a_typed_error_and_nothing_is_applied() {
    let (outcome, attempts, change, _server) = write_with_fault(FaultKind::WrongContentType);
    let error = outcome.expect_err("HTML instead of JSON");
    assert!(
        matches!(error.service_error(), Some(UpdateRecordsError::Response(_))),
        "{error:?}"
    );
    assert_eq!(attempts.len(), 1);
    assert_eq!(change, 0);
}

#[test]
fn a_proxy_error_page_is_retried() {
    let page = b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 21\r\nConnection: close\r\n\r\n<h1>Bad Gateway</h1>\n".to_vec();
    let (outcome, attempts, change, _server) = write_with_fault(FaultKind::Raw(page));
    outcome.expect("retried to success");
    assert_eq!(attempts.len(), 2);
    assert_eq!(change, 1);
}

#[test]
fn persistent_failures_stop_after_three_attempts() {
    let server = server();
    for _ in 0..5 {
        server.inject(Fault::for_operation(
            "ListRecords",
            FaultKind::internal_error(),
        ));
    }
    let client = client(&server);
    let error = runtime()
        .block_on(
            client
                .list_records()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .dataset_name("d")
                .send(),
        )
        .expect_err("keeps failing");
    assert!(
        matches!(
            error.service_error(),
            Some(ListRecordsError::InternalErrorException(_))
        ),
        "{error:?}"
    );
    assert_eq!(requests_for(&server, "ListRecords").len(), 3);

    // With retries off, one attempt.
    let client = client_with(&server, |c| c.retry(RetryConfig::disabled()));
    runtime()
        .block_on(
            client
                .list_records()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .dataset_name("d")
                .send(),
        )
        .expect_err("fails");
    assert_eq!(requests_for(&server, "ListRecords").len(), 4);
}

#[test]
fn a_call_timeout_bounds_the_whole_call() {
    let server = server();
    for _ in 0..3 {
        server.inject(Fault::for_operation(
            "ListRecords",
            FaultKind::Delay(Duration::from_secs(2)),
        ));
    }
    let client = client_with(&server, |c| {
        c.call_timeout(Some(Duration::from_millis(900)))
    });
    let started = Instant::now();
    let error = runtime()
        .block_on(
            client
                .list_records()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .dataset_name("d")
                .send(),
        )
        .expect_err("times out");
    assert!(matches!(error, SdkError::Timeout), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1_800),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn clock_skew_is_corrected_after_one_rejected_attempt() {
    let server = CognitoServer::start(
        ServerConfig::new(AKID, SECRET, REGION)
            .session_token(TOKEN)
            .clock_offset_seconds(3_600),
    )
    .expect("server");
    let client = client(&server);
    runtime()
        .block_on(
            client
                .list_datasets()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .send(),
        )
        .expect("succeeds at the corrected time");
    let verdicts: Vec<_> = server.requests().into_iter().map(|r| r.signature).collect();
    assert_eq!(
        verdicts,
        [SignatureVerdict::Expired, SignatureVerdict::Valid]
    );
    let skew = client.config().clock_skew_seconds();
    assert!((3_590..=3_610).contains(&skew), "{skew}");
}

#[test]
fn wrong_credentials_fail_without_retries() {
    let server = server();
    let client = client_with(&server, |c| {
        c.credentials(Credentials::new(
            AKID,
            "not-the-secret",
            Some(TOKEN.to_owned()),
        ))
    });
    let error = runtime()
        .block_on(
            client
                .list_datasets()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .send(),
        )
        .expect_err("bad signature");
    assert_eq!(
        error.service_error().and_then(|e| e.code()),
        Some("InvalidSignatureException")
    );
    let verdicts: Vec<_> = server.requests().into_iter().map(|r| r.signature).collect();
    // A signature error is a clock-skew code, but the clocks agree: no second attempt.
    assert_eq!(verdicts, [SignatureVerdict::Mismatch]);
}

#[test]
fn invalid_input_is_rejected_before_anything_is_sent() {
    let server = server();
    let client = client(&server);
    let rt = runtime();
    let missing = rt
        .block_on(
            client
                .list_records()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .send(),
        )
        .expect_err("dataset name missing");
    let Some(ListRecordsError::Validation(v)) = missing.service_error() else {
        panic!("{missing:?}");
    };
    assert!(v.path().contains("dataset_name"), "{v}");
    let bad = rt
        .block_on(
            client
                .list_records()
                .identity_pool_id(POOL)
                .identity_id(IDENTITY)
                .dataset_name("d".repeat(129))
                .send(),
        )
        .expect_err("longer than the model's 128");
    assert!(
        matches!(bad.service_error(), Some(ListRecordsError::Validation(_))),
        "{bad:?}"
    );
    assert!(server.requests().is_empty());
}

/// A minimal `tracing` subscriber that keeps every event's and span's fields as text.
#[derive(Default)]
struct Capture {
    lines: Mutex<Vec<String>>,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("event {}", event.metadata().level()));
        event.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn tracing_reports_each_attempt_without_secrets() {
    let server = server();
    server.inject(Fault::for_operation("ListDatasets", FaultKind::throttled()));
    let client = client(&server);
    let capture = Arc::new(Capture::default());
    let dispatch = tracing::Dispatch::new(Arc::clone(&capture));
    tracing::dispatcher::with_default(&dispatch, || {
        runtime()
            .block_on(
                client
                    .list_datasets()
                    .identity_pool_id(POOL)
                    .identity_id(IDENTITY)
                    .send(),
            )
            .expect("retried to success");
    });
    let lines = capture.lines.lock().unwrap().clone();
    let text = lines.join("\n");
    let ours: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("attempt=") || l.starts_with("span call"))
        .collect();
    assert!(
        ours.iter().any(|l| l.starts_with("span call")
            && l.contains("operation=\"ListDatasets\"")
            && l.contains("service=\"cognito-sync\"")),
        "{text}"
    );
    assert!(
        ours.iter().any(|l| l.contains("attempt=1")
            && l.contains("status=429")
            && l.contains("request_id=")),
        "{text}"
    );
    assert!(
        ours.iter()
            .any(|l| l.contains("reason=\"throttling\"") && l.contains("TooManyRequestsException")),
        "{text}"
    );
    assert!(
        ours.iter()
            .any(|l| l.contains("attempt=2") && l.contains("status=200")),
        "{text}"
    );
    for secret in [SECRET, TOKEN] {
        assert!(!text.contains(secret), "secret in tracing output:\n{text}");
    }
}
