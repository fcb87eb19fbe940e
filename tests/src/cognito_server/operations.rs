//! The emulated operations: reading each one's input from the request (labels, query, JSON
//! body, with the model's member names) and writing its output as JSON.
//!
//! Input that is not JSON, or JSON of the wrong type for a member, is 400
//! `SerializationException`; a missing required member or a value outside the model's
//! constraints is 400 `InvalidParameterException`. Timestamps are epoch seconds (JSON
//! numbers), as rest-json sends them.

use serde_json::{Map, Value, json};

use super::clock::epoch_seconds_json;
use super::error::ApiError;
use super::http::Request;
use super::paging;
use super::routes::{self, Label, Operation, Route};
use super::state::{Dataset, Patch, PatchOp, PoolUsage, Record, State};

/// Handles `request`, routed to `route`, at `now` (epoch milliseconds): the JSON output or
/// the error.
pub(crate) fn handle(
    route: &Route,
    request: &Request,
    state: &mut State,
    now: i64,
) -> Result<Value, ApiError> {
    let query = routes::query_pairs(&request.query);
    let labels = route_labels(route)?;
    let pool = labels.first().map_or("", String::as_str);
    let identity = labels.get(1).map_or("", String::as_str);
    let dataset = labels.get(2).map_or("", String::as_str);
    let key = (pool, identity, dataset);
    match route.operation {
        Operation::ListIdentityPoolUsage => list_identity_pool_usage(state, &query),
        Operation::DescribeIdentityPoolUsage => Ok(json!({
            "IdentityPoolUsage": pool_usage_json(&state.pool_usage(pool)?),
        })),
        Operation::DescribeIdentityUsage => {
            let usage = state.identity_usage(pool, identity)?;
            let mut object = Map::new();
            object.insert("IdentityId".into(), json!(usage.identity_id));
            object.insert("IdentityPoolId".into(), json!(usage.identity_pool_id));
            if let Some(millis) = usage.last_modified {
                object.insert("LastModifiedDate".into(), epoch_seconds_json(millis));
            }
            object.insert("DatasetCount".into(), json!(usage.dataset_count));
            object.insert("DataStorage".into(), json!(usage.data_storage));
            Ok(json!({ "IdentityUsage": object }))
        }
        Operation::ListDatasets => {
            let size = paging::page_size(routes::query_integer(&query, "maxResults")?)?;
            let next = routes::query_value(&query, "nextToken");
            let all = state.datasets(pool, identity);
            let items = all
                .iter()
                .map(|d| (d.name.as_str(), dataset_json(identity, d)));
            let (datasets, next_token) = paging::page(items, next, size)?;
            let mut object = Map::new();
            object.insert("Count".into(), json!(datasets.len()));
            object.insert("Datasets".into(), Value::Array(datasets));
            insert_token(&mut object, next_token);
            Ok(Value::Object(object))
        }
        Operation::DescribeDataset => {
            let found = state
                .dataset(pool, identity, dataset)
                .ok_or_else(|| ApiError::not_found(format!("Dataset '{dataset}' not found.")))?;
            Ok(json!({ "Dataset": dataset_json(identity, found) }))
        }
        Operation::DeleteDataset => {
            let deleted = state.delete_dataset(key, now)?;
            Ok(json!({ "Dataset": dataset_json(identity, &deleted) }))
        }
        Operation::ListRecords => {
            let size = paging::page_size(routes::query_integer(&query, "maxResults")?)?;
            let last_sync_count = routes::query_integer(&query, "lastSyncCount")?.unwrap_or(0);
            let next = routes::query_value(&query, "nextToken");
            let page = state.list_records(key, last_sync_count, next, size)?;
            let mut object = Map::new();
            object.insert("Count".into(), json!(page.records.len()));
            let records = page.records.iter().map(record_json).collect();
            object.insert("Records".into(), Value::Array(records));
            insert_token(&mut object, page.next_token);
            object.insert("DatasetSyncCount".into(), json!(page.dataset_sync_count));
            if let Some(by) = page.last_modified_by {
                object.insert("LastModifiedBy".into(), json!(by));
            }
            object.insert("DatasetExists".into(), json!(page.dataset_exists));
            object.insert(
                "DatasetDeletedAfterRequestedSyncCount".into(),
                json!(page.deleted_after_requested),
            );
            object.insert("SyncSessionToken".into(), json!(page.sync_session_token));
            Ok(Value::Object(object))
        }
        Operation::UpdateRecords => {
            let input = UpdateInput::read(&request.body)?;
            let device = input.device_id.as_deref().unwrap_or(identity);
            let records = state.update_records(key, &input.token, device, &input.patches, now)?;
            Ok(json!({ "Records": records.iter().map(record_json).collect::<Vec<_>>() }))
        }
    }
}

/// The route's labels, decoded and checked.
fn route_labels(route: &Route) -> Result<Vec<String>, ApiError> {
    let kinds = [Label::IdentityPoolId, Label::IdentityId, Label::DatasetName];
    route
        .labels
        .iter()
        .zip(kinds)
        .map(|(raw, kind)| routes::label(raw, kind))
        .collect()
}

fn list_identity_pool_usage(state: &State, query: &[(String, String)]) -> Result<Value, ApiError> {
    let size = paging::page_size(routes::query_integer(query, "maxResults")?)?;
    let next = routes::query_value(query, "nextToken");
    let all = state.pool_usages();
    let items = all
        .iter()
        .map(|(id, usage)| (id.as_str(), pool_usage_json(usage)));
    let (usages, next_token) = paging::page(items, next, size)?;
    let mut object = Map::new();
    object.insert("Count".into(), json!(usages.len()));
    object.insert("IdentityPoolUsages".into(), Value::Array(usages));
    object.insert("MaxResults".into(), json!(size));
    insert_token(&mut object, next_token);
    Ok(Value::Object(object))
}

fn insert_token(object: &mut Map<String, Value>, token: Option<String>) {
    if let Some(token) = token {
        object.insert("NextToken".into(), json!(token));
    }
}

fn pool_usage_json(usage: &PoolUsage) -> Value {
    let mut object = Map::new();
    object.insert("IdentityPoolId".into(), json!(usage.identity_pool_id));
    object.insert("SyncSessionsCount".into(), json!(usage.sync_sessions));
    object.insert("DataStorage".into(), json!(usage.data_storage));
    if let Some(millis) = usage.last_modified {
        object.insert("LastModifiedDate".into(), epoch_seconds_json(millis));
    }
    Value::Object(object)
}

fn dataset_json(identity: &str, dataset: &Dataset) -> Value {
    json!({
        "IdentityId": identity,
        "DatasetName": dataset.name,
        "CreationDate": epoch_seconds_json(dataset.creation),
        "LastModifiedDate": epoch_seconds_json(dataset.last_modified),
        "LastModifiedBy": dataset.last_modified_by,
        "DataStorage": dataset.data_storage(),
        "NumRecords": dataset.num_records(),
    })
}

fn record_json(record: &Record) -> Value {
    let mut object = Map::new();
    object.insert("Key".into(), json!(record.key));
    if let Some(value) = &record.value {
        object.insert("Value".into(), json!(value));
    }
    object.insert("SyncCount".into(), json!(record.sync_count));
    object.insert(
        "LastModifiedDate".into(),
        epoch_seconds_json(record.last_modified),
    );
    object.insert("LastModifiedBy".into(), json!(record.last_modified_by));
    if let Some(millis) = record.device_last_modified {
        object.insert("DeviceLastModifiedDate".into(), epoch_seconds_json(millis));
    }
    Value::Object(object)
}

/// The body of `UpdateRecords`.
struct UpdateInput {
    device_id: Option<String>,
    patches: Vec<Patch>,
    token: String,
}

impl UpdateInput {
    fn read(body: &[u8]) -> Result<Self, ApiError> {
        let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Map::new())
        } else {
            serde_json::from_slice(body)
                .map_err(|e| ApiError::serialization(format!("Invalid JSON: {e}")))?
        };
        let object = as_object(&value, "UpdateRecordsRequest")?;
        let device_id = string_member(object, "DeviceId")?;
        if let Some(device) = &device_id {
            check_length(device, 1, 256, "deviceId")?;
        }
        let token = string_member(object, "SyncSessionToken")?
            .ok_or_else(|| missing("syncSessionToken"))?;
        let patches = match object.get("RecordPatches") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| read_patch(item, i + 1))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(wrong_type("RecordPatches", "a list")),
        };
        Ok(UpdateInput {
            device_id,
            patches,
            token,
        })
    }
}

fn read_patch(item: &Value, position: usize) -> Result<Patch, ApiError> {
    let object = as_object(item, "RecordPatch")?;
    let at = |member: &str| format!("recordPatches.{position}.member.{member}");
    let op_text = string_member(object, "Op")?.ok_or_else(|| missing(&at("op")))?;
    let op = match op_text.as_str() {
        "replace" => PatchOp::Replace,
        "remove" => PatchOp::Remove,
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at '{}' failed to satisfy \
                 constraint: Member must satisfy enum value set: [replace, remove]",
                at("op")
            )));
        }
    };
    let key = string_member(object, "Key")?.ok_or_else(|| missing(&at("key")))?;
    check_length(&key, 1, 1024, &at("key"))?;
    let value = string_member(object, "Value")?;
    if let Some(value) = &value {
        check_length(value, 0, 1_048_575, &at("value"))?;
    }
    let sync_count = match object.get("SyncCount") {
        None | Some(Value::Null) => return Err(missing(&at("syncCount"))),
        Some(number) => number
            .as_i64()
            .ok_or_else(|| wrong_type("SyncCount", "an integer"))?,
    };
    let device_last_modified = match object.get("DeviceLastModifiedDate") {
        None | Some(Value::Null) => None,
        Some(number) => {
            let seconds = number
                .as_f64()
                .filter(|s| s.is_finite() && s.abs() < 1e12)
                .ok_or_else(|| wrong_type("DeviceLastModifiedDate", "epoch seconds"))?;
            Some((seconds * 1000.0).round() as i64)
        }
    };
    Ok(Patch {
        op,
        key,
        value,
        sync_count,
        device_last_modified,
    })
}

fn as_object<'a>(value: &'a Value, shape: &str) -> Result<&'a Map<String, Value>, ApiError> {
    value
        .as_object()
        .ok_or_else(|| ApiError::serialization(format!("Expected a JSON object for {shape}")))
}

fn string_member(object: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

fn wrong_type(member: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!("Member {member} must be {expected}"))
}

fn missing(member: &str) -> ApiError {
    ApiError::invalid_parameter(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: \
         Member must not be null"
    ))
}

fn check_length(text: &str, min: usize, max: usize, member: &str) -> Result<(), ApiError> {
    let length = text.chars().count();
    if length < min || length > max {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: \
             Member must have length between {min} and {max}"
        )));
    }
    Ok(())
}
