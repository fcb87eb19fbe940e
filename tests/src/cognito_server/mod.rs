//! An emulated Amazon Cognito Sync service over real HTTP/1.1 on `127.0.0.1`, for end-to-end
//! tests of the generated client.
//!
//! [`CognitoServer::start`] binds a free port and serves on std threads (one per connection,
//! keep-alive supported); dropping the server stops it and closes its connections.
//!
//! * **Signatures** are checked on every request with the AWS SDK's `aws-sigv4` against the
//!   credentials and region of the [`ServerConfig`], at the server's clock (the local clock
//!   plus [`ServerConfig::clock_offset_seconds`]); see [`SignatureVerdict`]. Every response
//!   carries `Date` (the server's time) and a unique `x-amzn-RequestId`.
//! * **Operations**: `ListDatasets`, `DescribeDataset`, `ListRecords`, `UpdateRecords`,
//!   `DeleteDataset`, `DescribeIdentityUsage`, `DescribeIdentityPoolUsage` and
//!   `ListIdentityPoolUsage`, with the model's routes and JSON member names (timestamps as
//!   epoch seconds). Lists are paged by `maxResults` ([`DEFAULT_MAX_RESULTS`] by default,
//!   1 to [`MAX_MAX_RESULTS`]) with an opaque `nextToken` (absent on the last page). Errors
//!   are shaped as AWS shapes them: the model's status, `x-amzn-ErrorType: <code>:<namespace>`
//!   and `{"message": "..."}`. Other routes get 404 `UnknownOperationException`, bodies
//!   that are not JSON 400 `SerializationException`, bodies over [`MAX_BODY`] bytes 413.
//! * **Faults** can be queued with [`CognitoServer::inject`]; see [`FaultKind`] for what each
//!   does and whether the request is applied.
//! * **Inspection**: [`CognitoServer::requests`] (the request log, in the order requests
//!   were answered), [`CognitoServer::dataset`] (a snapshot of a dataset) and
//!   [`CognitoServer::seed_records`].
//!
//! # Sync rules
//!
//! * `ListRecords` returns the records whose sync count is above `lastSyncCount` (0 if
//!   absent), by key, with `DatasetSyncCount`, `LastModifiedBy`, `DatasetExists`,
//!   `DatasetDeletedAfterRequestedSyncCount` and a fresh `SyncSessionToken`. A dataset that
//!   does not exist lists as empty (`DatasetExists: false`), with a token to create it.
//! * `UpdateRecords` needs a `SyncSessionToken` the server issued for that identity and
//!   dataset (tokens stay valid, so a retried call can reuse its token), else 400
//!   `InvalidParameterException`. Each patch must carry the record's current sync count (0
//!   for a record that never existed), or the whole call fails with 409
//!   `ResourceConflictException` and nothing changes. On success the dataset sync count
//!   grows by one (if there was a patch) and every patched record takes the new value; a
//!   `remove` leaves a tombstone (no `Value`) that `ListRecords` still returns. The dataset
//!   is created by its first update. `LastModifiedBy` is the request's `DeviceId`, or the
//!   identity id without one. An unknown `Op`, a key used twice or more than
//!   [`MAX_PATCHES_PER_UPDATE`] patches is 400 `InvalidParameterException`; more than
//!   [`MAX_DATASETS_PER_IDENTITY`] datasets, [`MAX_RECORDS_PER_DATASET`] live records or
//!   [`MAX_DATASET_BYTES`] bytes is 400 `LimitExceededException`.
//! * `DeleteDataset` returns the dataset and removes it (then `DescribeDataset` is 404
//!   `ResourceNotFoundException`). Its sync count is remembered: a dataset of that name
//!   created later continues from it, and `ListRecords` with `0 < lastSyncCount <=` that
//!   count says `DatasetDeletedAfterRequestedSyncCount: true`.
//! * `NumRecords` and `DataStorage` (UTF-8 bytes of keys plus values) count live records
//!   only. Pools and identities come into being when first used (`ListRecords`,
//!   `UpdateRecords`, seeding, [`CognitoServer::add_identity_pool`]);
//!   `DescribeIdentityUsage` and `DescribeIdentityPoolUsage` of unknown ones are 404.
//!   `SyncSessionsCount` counts the `ListRecords` calls of the pool.
//!
//! # Example
//!
//! ```no_run
//! use botogen_tests::cognito_server::{CognitoServer, Fault, FaultKind, ServerConfig};
//!
//! let server = CognitoServer::start(ServerConfig::new("AKID", "secret", "us-east-1"))?;
//! server.seed_records("us-east-1:0000", "us-east-1:0001", "settings", &[("theme", "dark")]);
//! server.inject(Fault::for_operation("UpdateRecords", FaultKind::throttled()));
//! let endpoint = server.url(); // http://127.0.0.1:PORT, for the client under test
//! # let _ = endpoint;
//! # Ok::<(), std::io::Error>(())
//! ```

mod clock;
mod config;
mod connection;
mod error;
mod faults;
mod http;
mod log;
mod operations;
mod paging;
mod routes;
mod sigv4_check;
mod snapshot;
mod state;

#[cfg(test)]
mod tests;

use std::net::{Shutdown, SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

pub use config::ServerConfig;
pub use faults::{Fault, FaultKind};
pub use http::MAX_BODY;
pub use log::RequestRecord;
pub use paging::{DEFAULT_MAX_RESULTS, MAX_MAX_RESULTS};
pub use sigv4_check::{MAX_SKEW_SECONDS, SERVICE, SignatureVerdict};
pub use snapshot::{DatasetSnapshot, RecordSnapshot};
pub use state::{
    MAX_DATASET_BYTES, MAX_DATASETS_PER_IDENTITY, MAX_PATCHES_PER_UPDATE, MAX_RECORDS_PER_DATASET,
};

use connection::{Shared, lock};

/// A running emulated Cognito Sync server; stops when dropped.
#[derive(Debug)]
pub struct CognitoServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

impl CognitoServer {
    /// Binds `127.0.0.1:0` and starts serving.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound or the accept thread cannot be started.
    pub fn start(config: ServerConfig) -> std::io::Result<CognitoServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let seed = nanos ^ (u64::from(addr.port()) << 48) ^ u64::from(std::process::id());
        let shared = Arc::new(Shared::new(config, seed));
        let for_thread = Arc::clone(&shared);
        let accept_thread = std::thread::Builder::new()
            .name(format!("cognito-server-{}", addr.port()))
            .spawn(move || connection::accept_loop(listener, for_thread))?;
        Ok(CognitoServer {
            addr,
            shared,
            accept_thread: Some(accept_thread),
        })
    }

    /// The endpoint URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration the server started with (the clock offset may have changed since:
    /// see [`clock_offset_seconds`](Self::clock_offset_seconds)).
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    /// The current offset of the server's clock from the local clock, in seconds.
    pub fn clock_offset_seconds(&self) -> i64 {
        self.shared.clock_offset.load(Ordering::Relaxed)
    }

    /// Moves the server's clock to the local clock plus `seconds`, from the next request on.
    pub fn set_clock_offset_seconds(&self, seconds: i64) {
        self.shared.clock_offset.store(seconds, Ordering::Relaxed);
    }

    /// The server's time, epoch milliseconds.
    pub fn now_millis(&self) -> i64 {
        self.shared.now_millis()
    }

    /// Queues a fault (a [`Fault`], or a [`FaultKind`] for any operation).
    pub fn inject(&self, fault: impl Into<Fault>) {
        lock(&self.shared.faults).push(fault.into());
    }

    /// How many injected faults no request has taken yet.
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.faults).len()
    }

    /// Removes all faults no request has taken yet.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The requests answered so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).clone()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// A snapshot of dataset `name` of `identity` in `pool`; `None` if it does not exist
    /// (never created, or deleted).
    pub fn dataset(&self, pool: &str, identity: &str, name: &str) -> Option<DatasetSnapshot> {
        lock(&self.shared.state)
            .dataset(pool, identity, name)
            .map(DatasetSnapshot::from)
    }

    /// Writes `records` (`(key, value)` pairs) into dataset `name` as one update, creating
    /// the pool, identity and dataset as needed, without sync session or sync count checks
    /// (nor limits). Every record written gets the dataset's new sync count, which is
    /// returned.
    pub fn seed_records(
        &self,
        pool: &str,
        identity: &str,
        name: &str,
        records: &[(&str, &str)],
    ) -> i64 {
        let now = self.shared.now_millis();
        lock(&self.shared.state).seed((pool, identity, name), records, now)
    }

    /// Makes identity pool `pool` known (with no identities), so the usage operations
    /// report it.
    pub fn add_identity_pool(&self, pool: &str) {
        lock(&self.shared.state).add_pool(pool);
    }
}

impl Drop for CognitoServer {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
        for (_, stream) in lock(&self.shared.connections).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}
