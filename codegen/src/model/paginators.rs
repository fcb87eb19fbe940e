//! Serde types for botocore's `paginators-1.json`: per operation, the token members and the
//! keys of the results.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole file: `{"pagination": {"Operation": {...}}}`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PaginatorsModel {
    /// Paginated operations by model name.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginatorModel>,
}

/// One operation's pagination.
#[derive(Clone, Debug, Deserialize)]
pub struct PaginatorModel {
    /// Input member(s) that carry the token for the next page.
    pub input_token: OneOrMany,
    /// Output member(s), possibly dotted paths, that hold the next token.
    pub output_token: OneOrMany,
    /// Input member that limits the page size.
    #[serde(default)]
    pub limit_key: Option<String>,
    /// Output member(s), possibly dotted paths, holding the paged results.
    #[serde(default)]
    pub result_key: Option<OneOrMany>,
    /// Output member that says more results exist.
    #[serde(default)]
    pub more_results: Option<String>,
    /// Output members kept from the first page only.
    #[serde(default)]
    pub non_aggregate_keys: Option<Vec<String>>,
}

/// A key given as a string or as a list of strings.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One key.
    One(String),
    /// Several keys.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The key when there is exactly one.
    pub fn single(&self) -> Option<&str> {
        match self {
            OneOrMany::One(key) => Some(key),
            OneOrMany::Many(keys) if keys.len() == 1 => Some(&keys[0]),
            OneOrMany::Many(_) => None,
        }
    }

    /// Every key, in the file's order.
    pub fn all(&self) -> &[String] {
        match self {
            OneOrMany::One(key) => std::slice::from_ref(key),
            OneOrMany::Many(keys) => keys,
        }
    }
}
