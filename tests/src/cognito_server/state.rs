//! The server's data: identity pools, their identities, each identity's datasets, and each
//! dataset's records, with the sync rules of Cognito Sync (described in the module
//! documentation of `cognito_server`).

use std::collections::{BTreeMap, HashMap};

use super::error::ApiError;
use super::paging;

/// Datasets one identity may have (the service's documented limit); one more is 400
/// `LimitExceededException`.
pub const MAX_DATASETS_PER_IDENTITY: usize = 20;

/// Live records one dataset may hold; more is 400 `LimitExceededException`.
pub const MAX_RECORDS_PER_DATASET: usize = 1024;

/// Bytes of keys and values one dataset may hold (1 MB, the service's documented limit); more
/// is 400 `LimitExceededException`.
pub const MAX_DATASET_BYTES: i64 = 1 << 20;

/// Patches one `UpdateRecords` call may carry; more is 400 `InvalidParameterException`.
pub const MAX_PATCHES_PER_UPDATE: usize = 1024;

/// A record; `value` is `None` for a tombstone (a removed record).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    pub key: String,
    pub value: Option<String>,
    pub sync_count: i64,
    /// Epoch milliseconds.
    pub last_modified: i64,
    pub last_modified_by: String,
    /// Epoch milliseconds, as the patch gave it.
    pub device_last_modified: Option<i64>,
}

/// A dataset.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Dataset {
    pub name: String,
    /// Epoch milliseconds.
    pub creation: i64,
    /// Epoch milliseconds.
    pub last_modified: i64,
    pub last_modified_by: String,
    pub sync_count: i64,
    pub records: BTreeMap<String, Record>,
}

impl Dataset {
    /// Live (not removed) records.
    pub fn num_records(&self) -> i64 {
        self.records.values().filter(|r| r.value.is_some()).count() as i64
    }

    /// Bytes of the keys and values of live records.
    pub fn data_storage(&self) -> i64 {
        self.records
            .values()
            .filter_map(|r| r.value.as_ref().map(|v| (r.key.len() + v.len()) as i64))
            .sum()
    }
}

#[derive(Debug, Default)]
struct Identity {
    datasets: BTreeMap<String, Dataset>,
    /// Datasets deleted, with their sync count when deleted.
    deleted: BTreeMap<String, i64>,
    last_modified: Option<i64>,
}

#[derive(Debug, Default)]
struct Pool {
    identities: BTreeMap<String, Identity>,
    sync_sessions: i64,
    last_modified: Option<i64>,
}

/// What a patch does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PatchOp {
    Replace,
    Remove,
}

/// One `RecordPatch`.
#[derive(Clone, Debug)]
pub(crate) struct Patch {
    pub op: PatchOp,
    pub key: String,
    pub value: Option<String>,
    pub sync_count: i64,
    /// Epoch milliseconds.
    pub device_last_modified: Option<i64>,
}

/// The answer to `ListRecords`.
#[derive(Debug)]
pub(crate) struct RecordsPage {
    pub records: Vec<Record>,
    pub next_token: Option<String>,
    pub dataset_sync_count: i64,
    pub last_modified_by: Option<String>,
    pub dataset_exists: bool,
    pub deleted_after_requested: bool,
    pub sync_session_token: String,
}

/// An identity's usage.
#[derive(Debug)]
pub(crate) struct IdentityUsage {
    pub identity_id: String,
    pub identity_pool_id: String,
    pub last_modified: Option<i64>,
    pub dataset_count: i64,
    pub data_storage: i64,
}

/// A pool's usage.
#[derive(Debug)]
pub(crate) struct PoolUsage {
    pub identity_pool_id: String,
    pub sync_sessions: i64,
    pub data_storage: i64,
    pub last_modified: Option<i64>,
}

/// Where a sync session token belongs.
type SessionKey = (String, String, String);

/// All data of the server.
#[derive(Debug, Default)]
pub(crate) struct State {
    pools: BTreeMap<String, Pool>,
    sessions: HashMap<String, SessionKey>,
    session_seed: u64,
    sessions_issued: u64,
}

impl State {
    /// Empty state; `seed` makes the sync session tokens of different servers differ.
    pub fn new(seed: u64) -> Self {
        State {
            session_seed: seed,
            ..State::default()
        }
    }

    /// Makes sure pool `pool` exists.
    pub fn add_pool(&mut self, pool: &str) {
        self.pools.entry(pool.to_owned()).or_default();
    }

    fn identity_mut(&mut self, pool: &str, identity: &str) -> &mut Identity {
        self.pools
            .entry(pool.to_owned())
            .or_default()
            .identities
            .entry(identity.to_owned())
            .or_default()
    }

    fn identity(&self, pool: &str, identity: &str) -> Option<&Identity> {
        self.pools.get(pool)?.identities.get(identity)
    }

    /// The dataset, if it exists.
    pub fn dataset(&self, pool: &str, identity: &str, name: &str) -> Option<&Dataset> {
        self.identity(pool, identity)?.datasets.get(name)
    }

    /// The identity's datasets, by name.
    pub fn datasets(&self, pool: &str, identity: &str) -> Vec<&Dataset> {
        self.identity(pool, identity)
            .map(|i| i.datasets.values().collect())
            .unwrap_or_default()
    }

    /// `ListRecords`: a page of the records changed after `last_sync_count`, and a new sync
    /// session token for the dataset.
    pub fn list_records(
        &mut self,
        key: (&str, &str, &str),
        last_sync_count: i64,
        next_token: Option<&str>,
        size: usize,
    ) -> Result<RecordsPage, ApiError> {
        let (pool, identity, name) = key;
        let entry = self.identity(pool, identity);
        let dataset = entry.and_then(|i| i.datasets.get(name));
        let deleted_at = entry.and_then(|i| i.deleted.get(name)).copied();
        let changed = dataset
            .into_iter()
            .flat_map(|d| d.records.values())
            .filter(|r| r.sync_count > last_sync_count)
            .map(|r| (r.key.as_str(), r.clone()));
        let (records, next_token) = paging::page(changed, next_token, size)?;
        let page = RecordsPage {
            records,
            next_token,
            dataset_sync_count: dataset.map_or(deleted_at.unwrap_or(0), |d| d.sync_count),
            last_modified_by: dataset.map(|d| d.last_modified_by.clone()),
            dataset_exists: dataset.is_some(),
            deleted_after_requested: last_sync_count > 0
                && deleted_at.is_some_and(|at| last_sync_count <= at),
            sync_session_token: self.new_session(pool, identity, name),
        };
        self.pools.entry(pool.to_owned()).or_default().sync_sessions += 1;
        self.identity_mut(pool, identity);
        Ok(page)
    }

    fn new_session(&mut self, pool: &str, identity: &str, name: &str) -> String {
        self.sessions_issued += 1;
        let token = format!(
            "ss1-{:016x}-{:08x}",
            self.session_seed, self.sessions_issued
        );
        let key = (pool.to_owned(), identity.to_owned(), name.to_owned());
        self.sessions.insert(token.clone(), key);
        token
    }

    /// `UpdateRecords`: checks the sync session token, then applies the patches (all or none).
    /// Returns the patched records.
    pub fn update_records(
        &mut self,
        key: (&str, &str, &str),
        session_token: &str,
        device: &str,
        patches: &[Patch],
        now: i64,
    ) -> Result<Vec<Record>, ApiError> {
        let (pool, identity, name) = key;
        let issued_for = self.sessions.get(session_token);
        let matches = issued_for.is_some_and(|(p, i, n)| p == pool && i == identity && n == name);
        if !matches {
            return Err(ApiError::invalid_parameter(
                "The sync session token is not valid for this identity and dataset.",
            ));
        }
        if patches.len() > MAX_PATCHES_PER_UPDATE {
            return Err(ApiError::invalid_parameter(format!(
                "Too many record patches: {} (at most {MAX_PATCHES_PER_UPDATE}).",
                patches.len()
            )));
        }
        let updated = apply(
            self.identity_mut(pool, identity),
            name,
            device,
            patches,
            now,
        )?;
        self.touch_pool(pool, now);
        Ok(updated)
    }

    /// Writes `records` into the dataset as one update that patches them all (creating the
    /// dataset), ignoring sync counts and limits. Returns the dataset's new sync count.
    pub fn seed(&mut self, key: (&str, &str, &str), records: &[(&str, &str)], now: i64) -> i64 {
        let (pool, identity, name) = key;
        let entry = self.identity_mut(pool, identity);
        let start = entry.deleted.get(name).copied().unwrap_or(0);
        let dataset = entry
            .datasets
            .entry(name.to_owned())
            .or_insert_with(|| new_dataset(name, start, identity, now));
        dataset.sync_count += 1;
        dataset.last_modified = now;
        for (key, value) in records {
            dataset.records.insert(
                (*key).to_owned(),
                Record {
                    key: (*key).to_owned(),
                    value: Some((*value).to_owned()),
                    sync_count: dataset.sync_count,
                    last_modified: now,
                    last_modified_by: identity.to_owned(),
                    device_last_modified: None,
                },
            );
        }
        entry.last_modified = Some(now);
        let sync_count = dataset.sync_count;
        self.touch_pool(pool, now);
        sync_count
    }

    /// `DeleteDataset`: removes the dataset and returns it as it was.
    pub fn delete_dataset(
        &mut self,
        key: (&str, &str, &str),
        now: i64,
    ) -> Result<Dataset, ApiError> {
        let (pool, identity, name) = key;
        let entry = self
            .pools
            .get_mut(pool)
            .and_then(|p| p.identities.get_mut(identity));
        let Some(entry) = entry else {
            return Err(dataset_not_found(name));
        };
        let dataset = entry
            .datasets
            .remove(name)
            .ok_or_else(|| dataset_not_found(name))?;
        entry.deleted.insert(name.to_owned(), dataset.sync_count);
        entry.last_modified = Some(now);
        self.touch_pool(pool, now);
        Ok(dataset)
    }

    fn touch_pool(&mut self, pool: &str, now: i64) {
        self.pools.entry(pool.to_owned()).or_default().last_modified = Some(now);
    }

    /// `DescribeIdentityUsage`.
    pub fn identity_usage(&self, pool: &str, identity: &str) -> Result<IdentityUsage, ApiError> {
        let entry = self
            .identity(pool, identity)
            .ok_or_else(|| ApiError::not_found(format!("Identity '{identity}' not found.")))?;
        Ok(IdentityUsage {
            identity_id: identity.to_owned(),
            identity_pool_id: pool.to_owned(),
            last_modified: entry.last_modified,
            dataset_count: entry.datasets.len() as i64,
            data_storage: entry.datasets.values().map(Dataset::data_storage).sum(),
        })
    }

    /// `DescribeIdentityPoolUsage`.
    pub fn pool_usage(&self, pool: &str) -> Result<PoolUsage, ApiError> {
        let entry = self
            .pools
            .get(pool)
            .ok_or_else(|| ApiError::not_found(format!("Identity pool '{pool}' not found.")))?;
        Ok(pool_usage(pool, entry))
    }

    /// The usage of every pool, by pool id (for `ListIdentityPoolUsage`).
    pub fn pool_usages(&self) -> Vec<(String, PoolUsage)> {
        self.pools
            .iter()
            .map(|(id, pool)| (id.clone(), pool_usage(id, pool)))
            .collect()
    }
}

fn pool_usage(id: &str, pool: &Pool) -> PoolUsage {
    PoolUsage {
        identity_pool_id: id.to_owned(),
        sync_sessions: pool.sync_sessions,
        data_storage: pool
            .identities
            .values()
            .flat_map(|i| i.datasets.values())
            .map(Dataset::data_storage)
            .sum(),
        last_modified: pool.last_modified,
    }
}

fn dataset_not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("Dataset '{name}' not found."))
}

fn new_dataset(name: &str, sync_count: i64, by: &str, now: i64) -> Dataset {
    Dataset {
        name: name.to_owned(),
        creation: now,
        last_modified: now,
        last_modified_by: by.to_owned(),
        sync_count,
        records: BTreeMap::new(),
    }
}

/// Applies `patches` to dataset `name` of `identity`, all or none.
fn apply(
    identity: &mut Identity,
    name: &str,
    device: &str,
    patches: &[Patch],
    now: i64,
) -> Result<Vec<Record>, ApiError> {
    let existing = identity.datasets.get(name);
    let mut keys = std::collections::HashSet::new();
    for patch in patches {
        if !keys.insert(patch.key.as_str()) {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate record key in RecordPatches: {}",
                patch.key
            )));
        }
        let current = existing
            .and_then(|d| d.records.get(&patch.key))
            .map_or(0, |r| r.sync_count);
        if patch.sync_count != current {
            return Err(ApiError::conflict(format!(
                "Current SyncCount for: {} is: {current} not: {}",
                patch.key, patch.sync_count
            )));
        }
    }
    if existing.is_none() && identity.datasets.len() >= MAX_DATASETS_PER_IDENTITY {
        return Err(ApiError::limit_exceeded(format!(
            "An identity can have at most {MAX_DATASETS_PER_IDENTITY} datasets."
        )));
    }
    let start = identity.deleted.get(name).copied().unwrap_or(0);
    let mut dataset = existing
        .cloned()
        .unwrap_or_else(|| new_dataset(name, start, device, now));
    if !patches.is_empty() {
        dataset.sync_count += 1;
        dataset.last_modified = now;
        dataset.last_modified_by = device.to_owned();
    }
    for patch in patches {
        let record = Record {
            key: patch.key.clone(),
            value: match patch.op {
                PatchOp::Replace => Some(patch.value.clone().unwrap_or_default()),
                PatchOp::Remove => None,
            },
            sync_count: dataset.sync_count,
            last_modified: now,
            last_modified_by: device.to_owned(),
            device_last_modified: patch.device_last_modified,
        };
        dataset.records.insert(patch.key.clone(), record);
    }
    if dataset.num_records() > MAX_RECORDS_PER_DATASET as i64 {
        return Err(ApiError::limit_exceeded(format!(
            "A dataset can hold at most {MAX_RECORDS_PER_DATASET} records."
        )));
    }
    if dataset.data_storage() > MAX_DATASET_BYTES {
        return Err(ApiError::limit_exceeded(format!(
            "A dataset can hold at most {MAX_DATASET_BYTES} bytes."
        )));
    }
    let updated = patches
        .iter()
        .filter_map(|p| dataset.records.get(&p.key).cloned())
        .collect();
    identity.datasets.insert(name.to_owned(), dataset);
    identity.last_modified = Some(now);
    Ok(updated)
}
