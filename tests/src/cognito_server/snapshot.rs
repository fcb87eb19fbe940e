//! Copies of the server's data for tests to inspect
//! ([`CognitoServer::dataset`](super::CognitoServer::dataset)).

use super::state::{Dataset, Record};

/// A dataset as the server holds it, at the time of the call.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetSnapshot {
    /// The dataset name.
    pub name: String,
    /// The dataset sync count: the number of successful updates (continuing from a deleted
    /// dataset of the same name).
    pub sync_count: i64,
    /// Creation time, epoch milliseconds on the server's clock.
    pub creation_millis: i64,
    /// Last modification time, epoch milliseconds on the server's clock.
    pub last_modified_millis: i64,
    /// The device (or identity) that made the last change.
    pub last_modified_by: String,
    /// Live records (tombstones not counted), as `NumRecords` reports.
    pub num_records: i64,
    /// Bytes of keys and values of live records, as `DataStorage` reports.
    pub data_storage: i64,
    /// All records, tombstones included, by key.
    pub records: Vec<RecordSnapshot>,
}

impl DatasetSnapshot {
    /// The record with `key`, tombstone or not.
    pub fn record(&self, key: &str) -> Option<&RecordSnapshot> {
        self.records.iter().find(|r| r.key == key)
    }

    /// The value of the live record `key`; `None` if it is missing or removed.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.record(key)?.value.as_deref()
    }
}

/// A record as the server holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordSnapshot {
    /// The key.
    pub key: String,
    /// The value; `None` for a tombstone (a removed record).
    pub value: Option<String>,
    /// The record's sync count: the dataset sync count of the update that last patched it.
    pub sync_count: i64,
    /// The device (or identity) that made the last change.
    pub last_modified_by: String,
    /// The `DeviceLastModifiedDate` of the last patch, epoch milliseconds, if it had one.
    pub device_last_modified_millis: Option<i64>,
}

impl RecordSnapshot {
    /// Whether the record was removed (it has no value).
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }
}

impl From<&Record> for RecordSnapshot {
    fn from(record: &Record) -> Self {
        RecordSnapshot {
            key: record.key.clone(),
            value: record.value.clone(),
            sync_count: record.sync_count,
            last_modified_by: record.last_modified_by.clone(),
            device_last_modified_millis: record.device_last_modified,
        }
    }
}

impl From<&Dataset> for DatasetSnapshot {
    fn from(dataset: &Dataset) -> Self {
        DatasetSnapshot {
            name: dataset.name.clone(),
            sync_count: dataset.sync_count,
            creation_millis: dataset.creation,
            last_modified_millis: dataset.last_modified,
            last_modified_by: dataset.last_modified_by.clone(),
            num_records: dataset.num_records(),
            data_storage: dataset.data_storage(),
            records: dataset.records.values().map(RecordSnapshot::from).collect(),
        }
    }
}
