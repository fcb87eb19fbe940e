//! The emulated operations: a sync session, paging, usage, and the service's errors.

use botogen_cognito_sync::Validation;
use botogen_cognito_sync::operation::describe_dataset::DescribeDatasetError;
use botogen_cognito_sync::operation::update_records::UpdateRecordsError;
use botogen_cognito_sync::operation::{
    delete_dataset, describe_dataset, describe_identity_pool_usage, describe_identity_usage,
    list_datasets, list_identity_pool_usage, list_records, update_records,
};
use botogen_cognito_sync::types::{
    DeleteDatasetRequest, DescribeDatasetRequest, DescribeIdentityPoolUsageRequest,
    DescribeIdentityUsageRequest, ListDatasetsRequest, ListIdentityPoolUsageRequest,
};

use super::*;

fn describe_dataset_request(name: &str) -> http::Request<Vec<u8>> {
    let input = DescribeDatasetRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name(name)
        .build()
        .expect("input");
    describe_dataset::serialize_request(&input, Validation::Enabled).expect("request")
}

fn update(
    server: &CognitoServer,
    token: &str,
    patches: Vec<botogen_cognito_sync::types::RecordPatch>,
) -> Result<botogen_cognito_sync::types::UpdateRecordsResponse, UpdateRecordsError> {
    update_records::parse_response(&call(
        server,
        update_records_request("game", token, patches),
    ))
}

#[test]
fn a_sync_session_with_a_conflict_and_a_delete() {
    let server = start();

    // A dataset that does not exist yet: no records, but a session token to create it with.
    let listed = list_records(&server, "game", None);
    assert_eq!(
        (
            listed.dataset_exists,
            listed.count,
            listed.dataset_sync_count
        ),
        (Some(false), Some(0), Some(0))
    );
    let token = listed.sync_session_token.expect("token");

    let created = update(
        &server,
        &token,
        vec![patch("level", Some("1"), 0), patch("score", Some("10"), 0)],
    )
    .expect("created");
    let records = created.records.expect("records");
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.sync_count == Some(1)));
    assert_eq!(records[0].last_modified_by.as_deref(), Some("device-1"));

    // A stale sync count fails the whole call; nothing changes.
    let stale = update(
        &server,
        &token,
        vec![patch("level", Some("2"), 1), patch("score", Some("20"), 0)],
    );
    match stale {
        Err(UpdateRecordsError::ResourceConflictException(e)) => {
            assert_eq!(
                e.message.as_deref(),
                Some("Current SyncCount for: score is: 1 not: 0")
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let snapshot = server.dataset(POOL, IDENTITY, "game").expect("dataset");
    assert_eq!(
        (snapshot.sync_count, snapshot.value("level")),
        (1, Some("1"))
    );

    // Replace one record and remove the other with their current sync counts.
    let updated = update(
        &server,
        &token,
        vec![patch("level", Some("2"), 1), patch("score", None, 1)],
    )
    .expect("updated")
    .records
    .expect("records");
    assert_eq!(updated[1].value, None, "tombstone");
    assert!(updated.iter().all(|r| r.sync_count == Some(2)));

    // Changes after sync count 1: both, the removed one without a value.
    let changed = list_records(&server, "game", Some(1));
    let records = changed.records.expect("records");
    assert_eq!(changed.dataset_sync_count, Some(2));
    assert_eq!(changed.dataset_exists, Some(true));
    assert_eq!(changed.last_modified_by.as_deref(), Some("device-1"));
    assert_eq!(
        records
            .iter()
            .map(|r| (r.key.as_deref().unwrap(), r.value.as_deref(), r.sync_count))
            .collect::<Vec<_>>(),
        [("level", Some("2"), Some(2)), ("score", None, Some(2))]
    );
    assert!(
        list_records(&server, "game", Some(2))
            .records
            .unwrap()
            .is_empty()
    );

    let described =
        describe_dataset::parse_response(&call(&server, describe_dataset_request("game")))
            .expect("described")
            .dataset
            .expect("dataset");
    assert_eq!(
        (described.num_records, described.data_storage),
        (Some(1), Some(("level".len() + 1) as i64))
    );
    assert!(described.creation_date.is_some() && described.last_modified_date.is_some());

    // Delete: the dataset is returned, then gone.
    let input = DeleteDatasetRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name("game")
        .build()
        .unwrap();
    let request = delete_dataset::serialize_request(&input, Validation::Enabled).unwrap();
    let deleted = delete_dataset::parse_response(&call(&server, request))
        .expect("deleted")
        .dataset
        .expect("dataset");
    assert_eq!(deleted.dataset_name.as_deref(), Some("game"));
    assert!(server.dataset(POOL, IDENTITY, "game").is_none());
    match describe_dataset::parse_response(&call(&server, describe_dataset_request("game"))) {
        Err(DescribeDatasetError::ResourceNotFoundException(_)) => {}
        other => panic!("expected not found, got {other:?}"),
    }
    // A client that synced up to 2 learns that the dataset was deleted after that.
    let after = list_records(&server, "game", Some(2));
    assert_eq!(
        (
            after.dataset_exists,
            after.dataset_deleted_after_requested_sync_count
        ),
        (Some(false), Some(true))
    );
}

#[test]
fn update_records_needs_a_session_token_for_the_dataset() {
    let server = start();
    let other = list_records(&server, "other", None)
        .sync_session_token
        .unwrap();
    for token in ["made-up", other.as_str()] {
        match update(&server, token, vec![patch("k", Some("v"), 0)]) {
            Err(UpdateRecordsError::InvalidParameterException(_)) => {}
            other => panic!("expected InvalidParameterException, got {other:?}"),
        }
    }
    assert!(server.dataset(POOL, IDENTITY, "game").is_none());
}

#[test]
fn list_records_pages_with_next_token() {
    let server = start();
    let records: Vec<(String, String)> = (0..25)
        .map(|i| (format!("key-{i:02}"), format!("value {i}")))
        .collect();
    let pairs: Vec<(&str, &str)> = records
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(server.seed_records(POOL, IDENTITY, "big", &pairs), 1);

    let mut client = Client::connect(&server);
    let mut token: Option<String> = None;
    let mut keys = Vec::new();
    let mut counts = Vec::new();
    loop {
        let request = list_records_request("big", Some(0), token.as_deref(), Some(10));
        let page =
            list_records::parse_response(&client.call(&signed(&server, request))).expect("page");
        counts.push(page.count.unwrap());
        keys.extend(page.records.unwrap().into_iter().map(|r| r.key.unwrap()));
        assert!(page.sync_session_token.is_some());
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(counts, [10, 10, 5]);
    let expected: Vec<String> = records.into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, expected, "every key once, in order");
}

#[test]
fn datasets_and_usage_are_listed() {
    let server = start();
    for name in ["a", "b", "c"] {
        server.seed_records(POOL, IDENTITY, name, &[("k", "vv")]);
    }
    server.add_identity_pool("us-east-1:0000cccc-1111-2222-3333-444455556666");

    let mut names = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let input = ListDatasetsRequest::builder()
            .identity_pool_id(POOL)
            .identity_id(IDENTITY)
            .max_results(2)
            .set_next_token(token)
            .build()
            .unwrap();
        let request = list_datasets::serialize_request(&input, Validation::Enabled).unwrap();
        let page = list_datasets::parse_response(&call(&server, request)).expect("page");
        pages += 1;
        names.extend(
            page.datasets
                .unwrap()
                .into_iter()
                .map(|d| d.dataset_name.unwrap()),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(
        (pages, names),
        (2, vec!["a".to_owned(), "b".into(), "c".into()])
    );

    let input = DescribeIdentityUsageRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .build()
        .unwrap();
    let request = describe_identity_usage::serialize_request(&input, Validation::Enabled).unwrap();
    let usage = describe_identity_usage::parse_response(&call(&server, request))
        .expect("usage")
        .identity_usage
        .unwrap();
    assert_eq!(
        (usage.dataset_count, usage.data_storage),
        (Some(3), Some(9))
    );

    let input = DescribeIdentityPoolUsageRequest::builder()
        .identity_pool_id(POOL)
        .build()
        .unwrap();
    let request =
        describe_identity_pool_usage::serialize_request(&input, Validation::Enabled).unwrap();
    let pool = describe_identity_pool_usage::parse_response(&call(&server, request))
        .expect("pool usage")
        .identity_pool_usage
        .unwrap();
    assert_eq!(
        (pool.data_storage, pool.sync_sessions_count),
        (Some(9), Some(0))
    );

    let input = ListIdentityPoolUsageRequest::builder().build();
    let request = list_identity_pool_usage::serialize_request(&input, Validation::Enabled).unwrap();
    let pools = list_identity_pool_usage::parse_response(&call(&server, request)).expect("pools");
    assert_eq!((pools.count, pools.next_token), (Some(2), None));
}

#[test]
fn service_errors_are_shaped_like_aws() {
    let server = start();
    let raw = |method: &str, path: &str, body: &str| {
        let mut builder = http::Request::builder().method(method).uri(path);
        if !body.is_empty() {
            builder = builder.header("content-type", "application/json");
        }
        call(&server, builder.body(body.as_bytes().to_vec()).unwrap())
    };
    let dataset_path = format!(
        "/identitypools/{}/identities/{}/datasets/game",
        POOL.replace(':', "%3A"),
        IDENTITY.replace(':', "%3A")
    );

    let unknown = raw("GET", "/identitypools/x/configuration", "");
    assert_eq!(
        (unknown.status().as_u16(), error_code(&unknown)),
        (404, Some("UnknownOperationException"))
    );
    let bad_json = raw("POST", &dataset_path, "{not json");
    assert_eq!(
        (bad_json.status().as_u16(), error_code(&bad_json)),
        (400, Some("SerializationException"))
    );
    assert_eq!(
        header(&bad_json, "x-amzn-errortype"),
        Some("SerializationException:http://internal.amazon.com/coral/com.amazon.coral.service/")
    );
    let bad_label = raw("GET", "/identitypools/not-a-pool-id", "");
    assert_eq!(error_code(&bad_label), Some("InvalidParameterException"));

    let token = list_records(&server, "game", None)
        .sync_session_token
        .unwrap();
    let bad_op = format!(
        r#"{{"SyncSessionToken":"{token}","RecordPatches":[{{"Op":"merge","Key":"k","SyncCount":0}}]}}"#
    );
    let response = raw("POST", &dataset_path, &bad_op);
    assert_eq!(
        (response.status().as_u16(), error_code(&response)),
        (400, Some("InvalidParameterException"))
    );
    assert_eq!(
        header(&response, "x-amzn-errortype"),
        Some(
            "InvalidParameterException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"
        )
    );
    let many: Vec<String> = (0..=crate::cognito_server::MAX_PATCHES_PER_UPDATE)
        .map(|i| format!(r#"{{"Op":"replace","Key":"k{i}","Value":"v","SyncCount":0}}"#))
        .collect();
    let too_many = format!(
        r#"{{"SyncSessionToken":"{token}","RecordPatches":[{}]}}"#,
        many.join(",")
    );
    let response = raw("POST", &dataset_path, &too_many);
    assert_eq!(error_code(&response), Some("InvalidParameterException"));
    let wrong_type = format!(
        r#"{{"SyncSessionToken":"{token}","RecordPatches":[{{"Op":"replace","Key":"k","SyncCount":"0"}}]}}"#
    );
    assert_eq!(
        error_code(&raw("POST", &dataset_path, &wrong_type)),
        Some("SerializationException")
    );
    let bad_max = list_records_request("game", None, None, Some(0));
    assert_eq!(
        error_code(&call(&server, bad_max)),
        Some("InvalidParameterException")
    );
    let bad_token = list_records_request("game", None, Some("garbage"), None);
    assert_eq!(
        error_code(&call(&server, bad_token)),
        Some("InvalidParameterException")
    );
    assert!(server.dataset(POOL, IDENTITY, "game").is_none());
}
