//! Serde types that mirror botocore's `service-2.json` format, key for key.
//!
//! Nothing here interprets the model: names are kept as written, optional keys stay
//! `Option`, and maps are `BTreeMap`s so iteration order never depends on hashing. Keys this
//! module does not know are collected as [`Warning`]s instead of being dropped silently, and
//! JSON that does not fit the format fails with the JSON path of the offending value.
//! Interpretation (references, naming, HTTP bindings) is the job of [`crate::ir`].

mod operation;
mod paginators;
mod service;
mod shape;
mod waiters;

pub use operation::{
    ContextParam, EndpointDiscovery, EndpointTrait, ErrorRef, HttpChecksum, HttpTrait, Operation,
    OperationIo, RequestCompression, StaticContextParam,
};
pub use paginators::{OneOrMany, PaginatorModel, PaginatorsModel};
pub use service::{Metadata, ProtocolSettings, ServiceModel};
pub use shape::{
    ErrorTrait, Member, OrderedMap, RetryableTrait, Shape, ShapeRef, ShapeType, XmlNamespace,
};
pub use waiters::{
    AcceptorModel, AcceptorStateModel, ExpectedModel, MatcherModel, WaiterModel, WaitersModel,
};

use crate::error::Error;

/// A key in the model that this generator does not know, reported rather than dropped.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// The file the key was found in.
    pub file: String,
    /// JSON path of the key, such as `shapes.Record.members.Key.colour`.
    pub json_path: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: unknown key `{}` ignored", self.file, self.json_path)
    }
}

/// Parses a `service-2.json` text. `file` names the source in errors and warnings.
pub fn parse_service(file: &str, text: &str) -> Result<(ServiceModel, Vec<Warning>), Error> {
    parse_json(file, text)
}

/// Parses a `paginators-1.json` text. `file` names the source in errors and warnings.
pub fn parse_paginators(file: &str, text: &str) -> Result<(PaginatorsModel, Vec<Warning>), Error> {
    parse_json(file, text)
}

/// Parses a `waiters-2.json` text. `file` names the source in errors and warnings.
pub fn parse_waiters(file: &str, text: &str) -> Result<(WaitersModel, Vec<Warning>), Error> {
    parse_json(file, text)
}

/// Parses JSON text into `T`, collecting unknown keys as warnings and reporting the JSON path
/// of the first value that does not fit.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<(T, Vec<Warning>), Error> {
    let mut unknown = Vec::new();
    let mut json = serde_json::Deserializer::from_str(text);
    let mut record_unknown = |path: serde_ignored::Path<'_>| unknown.push(path.to_string());
    let ignoring = serde_ignored::Deserializer::new(&mut json, &mut record_unknown);
    let value: T = serde_path_to_error::deserialize(ignoring).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        Error::malformed(file, json_path_or_root(&path), describe_serde_error(&inner))
    })?;
    json.end()
        .map_err(|err| Error::malformed(file, "$", describe_serde_error(&err)))?;
    let mut warnings: Vec<Warning> = unknown
        .into_iter()
        .map(|json_path| Warning {
            file: file.to_owned(),
            json_path,
        })
        .collect();
    warnings.sort();
    Ok((value, warnings))
}

fn json_path_or_root(path: &str) -> &str {
    if path.is_empty() || path == "." {
        "$"
    } else {
        path
    }
}

/// serde_json appends " at line L column C" to syntax errors; keep it, it locates bad JSON.
fn describe_serde_error(err: &serde_json::Error) -> String {
    err.to_string()
}

#[cfg(test)]
mod tests;
