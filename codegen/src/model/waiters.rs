//! Serde types for botocore's `waiters-2.json`: per waiter, the operation to poll, the delay
//! between polls and the acceptors that decide, from each response, whether to stop.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole file: `{"version": 2, "waiters": {"Name": {...}}}`.
#[derive(Clone, Debug, Deserialize)]
pub struct WaitersModel {
    /// Format version; botocore's files say `2`.
    pub version: u32,
    /// Waiters by name (a duplicate name is an error).
    #[serde(default, deserialize_with = "super::shape::unique_map")]
    pub waiters: BTreeMap<String, WaiterModel>,
}

/// One waiter.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiterModel {
    /// The operation polled, by model name.
    pub operation: String,
    /// Seconds between polls (the minimum delay).
    pub delay: u64,
    /// How many polls botocore makes before giving up.
    pub max_attempts: u64,
    /// What the waiter waits for (plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// The acceptors, evaluated in order on each response.
    pub acceptors: Vec<AcceptorModel>,
}

/// One acceptor: when `matcher` matches a response with `expected`, the waiter moves to
/// `state`.
#[derive(Clone, Debug, Deserialize)]
pub struct AcceptorModel {
    /// What a match means.
    pub state: AcceptorStateModel,
    /// What is matched.
    pub matcher: MatcherModel,
    /// The JMESPath expression of the `path*` matchers.
    #[serde(default)]
    pub argument: Option<String>,
    /// The value matched against.
    pub expected: ExpectedModel,
}

/// The states an acceptor can move the waiter to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AcceptorStateModel {
    /// Stop waiting: the resource is as wanted.
    Success,
    /// Stop waiting: the resource will never be as wanted.
    Failure,
    /// Poll again.
    Retry,
}

/// The kinds of matchers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatcherModel {
    /// The expression's value on the output equals `expected`.
    Path,
    /// Every element of the expression's (non-empty) list value equals `expected`.
    PathAll,
    /// Some element of the expression's list value equals `expected`.
    PathAny,
    /// The HTTP status equals `expected`.
    Status,
    /// The error code equals `expected` (or, with `true`/`false`, any error / no error).
    Error,
}

/// An acceptor's expected value.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ExpectedModel {
    /// `true` or `false`.
    Bool(bool),
    /// A number, such as an HTTP status.
    Number(serde_json::Number),
    /// A string, such as an enum value or an error code.
    String(String),
}
