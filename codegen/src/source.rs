//! Reading a model directory (`models/<service>/<version>/`). The only file I/O in the
//! library; everything after this works on strings.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::Error;

/// The files of one model directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelFiles {
    /// A label for the model, such as `cognito-sync/2014-06-30` (the last two path parts).
    pub label: String,
    /// Text of `service-2.json`.
    pub service: String,
    /// Text of `paginators-1.json`, when present.
    pub paginators: Option<String>,
    /// Text of `endpoint-rule-set-1.json`, when present.
    pub endpoint_rules: Option<String>,
    /// Text of `waiters-2.json`, when present.
    pub waiters: Option<String>,
}

impl ModelFiles {
    /// Reads the model in `dir`; `service-2.json` must exist, the other files are optional.
    pub fn read_dir(dir: &Path) -> Result<Self, Error> {
        let service_path = dir.join("service-2.json");
        let service =
            std::fs::read_to_string(&service_path).map_err(|e| Error::io(&service_path, e))?;
        let optional = |name: &str| -> Result<Option<String>, Error> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::io(&path, e)),
            }
        };
        Ok(Self {
            label: label_of(dir),
            service,
            paginators: optional("paginators-1.json")?,
            endpoint_rules: optional("endpoint-rule-set-1.json")?,
            waiters: optional("waiters-2.json")?,
        })
    }

    /// A model given as text, for tests and tools.
    pub fn from_service_json(label: &str, service: &str) -> Self {
        Self {
            label: label.to_owned(),
            service: service.to_owned(),
            paginators: None,
            endpoint_rules: None,
            waiters: None,
        }
    }

    /// Lower-case hex sha256 of `service-2.json`.
    pub fn service_sha256(&self) -> String {
        let digest = Sha256::digest(self.service.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// `.../models/cognito-sync/2014-06-30` -> `cognito-sync/2014-06-30`.
fn label_of(dir: &Path) -> String {
    let parts: Vec<String> = dir
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let start = parts.len().saturating_sub(2);
    parts[start..].join("/")
}
