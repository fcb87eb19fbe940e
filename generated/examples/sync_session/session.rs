//! The session itself, separate from `main` so the end-to-end tests of the repository run
//! exactly this code against their local server.

use botogen_cognito_sync::Client;
use botogen_cognito_sync::client::SdkError;
use botogen_cognito_sync::operation::update_records::UpdateRecordsError;
use botogen_cognito_sync::types::{Operation, Record, RecordPatch};

/// What a session did, for the caller to print or check.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SessionSummary {
    /// Datasets the identity had before the session.
    pub datasets_before: Vec<String>,
    /// Records read at the start (key, value), tombstones left out.
    pub records_read: Vec<(String, Option<String>)>,
    /// Conflicts met and resolved by reading again.
    pub conflicts_resolved: u32,
    /// The dataset's sync count after the writes.
    pub sync_count_after: i64,
    /// Whether the dataset was deleted at the end.
    pub deleted: bool,
}

/// Runs the session on `dataset` of `identity_id` in `identity_pool_id`: increments a
/// `visits` counter, stamps `last_example_run`, and deletes the dataset if `delete`.
pub async fn run_session(
    client: &Client,
    identity_pool_id: &str,
    identity_id: &str,
    dataset: &str,
    delete: bool,
) -> Result<SessionSummary, Box<dyn std::error::Error>> {
    let mut summary = SessionSummary::default();

    let mut datasets = client
        .list_datasets()
        .identity_pool_id(identity_pool_id)
        .identity_id(identity_id)
        .into_paginator()
        .items();
    while let Some(found) = datasets.next_item().await {
        if let Some(name) = found?.dataset_name {
            summary.datasets_before.push(name);
        }
    }

    // Up to three rounds: a conflict means another device wrote first; read and retry.
    for _ in 0..3 {
        let (records, session_token) =
            read_all_records(client, identity_pool_id, identity_id, dataset).await?;
        if summary.records_read.is_empty() {
            summary.records_read = records
                .iter()
                .filter(|r| r.value.is_some())
                .map(|r| (r.key.clone().unwrap_or_default(), r.value.clone()))
                .collect();
        }
        let visits = records.iter().find(|r| r.key.as_deref() == Some("visits"));
        let count: u64 = visits
            .and_then(|r| r.value.as_deref())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let sync_count_of =
            |record: Option<&Record>| record.and_then(|r| r.sync_count).unwrap_or(0);
        let stamp = records
            .iter()
            .find(|r| r.key.as_deref() == Some("last_example_run"));
        let patches = vec![
            RecordPatch::builder()
                .op(Operation::Replace)
                .key("visits")
                .value((count + 1).to_string())
                .sync_count(sync_count_of(visits))
                .build()?,
            RecordPatch::builder()
                .op(Operation::Replace)
                .key("last_example_run")
                .value(
                    botogen_cognito_sync::primitives::DateTime::from(std::time::SystemTime::now())
                        .to_string(),
                )
                .sync_count(sync_count_of(stamp))
                .build()?,
        ];
        let update = client
            .update_records()
            .identity_pool_id(identity_pool_id)
            .identity_id(identity_id)
            .dataset_name(dataset)
            .sync_session_token(session_token)
            .record_patches(patches)
            .send()
            .await;
        match update {
            Ok(output) => {
                summary.sync_count_after = output
                    .records
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| r.sync_count)
                    .max()
                    .unwrap_or(0);
                break;
            }
            Err(SdkError::Service(UpdateRecordsError::ResourceConflictException(conflict))) => {
                eprintln!("conflict, reading again: {conflict}");
                summary.conflicts_resolved += 1;
            }
            Err(other) => return Err(other.into()),
        }
    }

    if delete {
        client
            .delete_dataset()
            .identity_pool_id(identity_pool_id)
            .identity_id(identity_id)
            .dataset_name(dataset)
            .send()
            .await?;
        summary.deleted = true;
    }
    Ok(summary)
}

/// Every record of the dataset (all pages) and the session token of the first page.
async fn read_all_records(
    client: &Client,
    identity_pool_id: &str,
    identity_id: &str,
    dataset: &str,
) -> Result<(Vec<Record>, String), Box<dyn std::error::Error>> {
    let mut pages = client
        .list_records()
        .identity_pool_id(identity_pool_id)
        .identity_id(identity_id)
        .dataset_name(dataset)
        .into_paginator()
        .page_size(50)
        .send();
    let mut records = Vec::new();
    let mut token = None;
    while let Some(page) = pages.next_page().await {
        let page = page?;
        token = token.or(page.sync_session_token);
        records.extend(page.records.unwrap_or_default());
    }
    let token = token.ok_or("ListRecords returned no SyncSessionToken")?;
    Ok((records, token))
}
