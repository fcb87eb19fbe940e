//! Reading botocore's protocol test files and deciding, from the data alone, which cases are
//! skipped: those botocore itself ignores, and those needing a feature botogen lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use serde_json::value::RawValue;

/// Which file a suite comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    /// `protocols/input`: request serialization.
    Input,
    /// `protocols/output`: response parsing.
    Output,
}

impl Direction {
    /// The directory under `protocols/` and the key in the ignore list.
    pub fn dir_name(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }

    /// Short tag used in scratch module names (`suite_in_3`).
    pub fn tag(self) -> &'static str {
        match self {
            Direction::Input => "in",
            Direction::Output => "out",
        }
    }
}

/// One suite: a mini service model and its cases.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The file it came from.
    pub direction: Direction,
    /// Position in the file.
    pub index: usize,
    /// The suite's `description`.
    pub description: String,
    /// The suite's `metadata` object.
    pub metadata: serde_json::Map<String, Value>,
    /// The suite's `shapes` object as written: member order matters, and a parsed `Value`
    /// would sort it.
    pub shapes: String,
    /// The cases, in file order.
    pub cases: Vec<Case>,
    /// The suite's `clientEndpoint`, which `serialized.host` expectations are relative to.
    pub client_endpoint: Option<String>,
}

impl Suite {
    /// The scratch module holding this suite's generated crate, such as `suite_in_3`.
    pub fn module(&self) -> String {
        format!("suite_{}_{}", self.direction.tag(), self.index)
    }
}

/// One case of a suite.
#[derive(Clone, Debug)]
pub struct Case {
    /// The Smithy test id.
    pub id: String,
    /// `input:<id>` or `output:<id>`: ids repeat between the two files.
    pub key: String,
    /// The whole case object (`given`, `params`/`serialized` or `response`/`result`/...).
    pub json: Value,
    /// Why the case is skipped before anything is generated, if it is.
    pub skip: Option<String>,
    /// botocore's ignore list names the case (it is run here all the same).
    pub ignored_by_botocore: bool,
}

impl Case {
    /// The case's `given` operation definition.
    pub fn given(&self) -> &Value {
        &self.json["given"]
    }
}

/// botocore's `protocol-tests-ignore-list.json`, reduced to what applies to rest-json.
#[derive(Clone, Debug, Default)]
pub struct IgnoreList {
    general_suites: BTreeSet<(Direction, String)>,
    rest_json_cases: BTreeSet<(Direction, String)>,
}

impl IgnoreList {
    /// Reads the ignore list; `general.<dir>.suites` and `protocols.rest-json.<dir>.cases`.
    pub fn read(path: &Path) -> Result<Self, String> {
        let json = read_json(path)?;
        let mut list = IgnoreList::default();
        for direction in [Direction::Input, Direction::Output] {
            let dir = direction.dir_name();
            for name in strings(&json["general"][dir]["suites"]) {
                list.general_suites.insert((direction, name));
            }
            for id in strings(&json["protocols"]["rest-json"][dir]["cases"]) {
                list.rest_json_cases.insert((direction, id));
            }
        }
        Ok(list)
    }

    /// Why botocore skips `id` in the suite described as `description`, if it does.
    pub fn reason(&self, direction: Direction, description: &str, id: &str) -> Option<String> {
        if self
            .general_suites
            .contains(&(direction, description.to_owned()))
        {
            Some(format!(
                "ignored by botocore: general.{}.suites",
                direction.dir_name()
            ))
        } else if self.rest_json_cases.contains(&(direction, id.to_owned())) {
            Some(format!(
                "ignored by botocore: protocols.rest-json.{}.cases",
                direction.dir_name()
            ))
        } else {
            None
        }
    }
}

/// Features a case can need that botogen does not implement yet: a `given` key that, when
/// present and not `false`, makes the case a skip with the reason given.
const MISSING_FEATURES: &[(&str, &str)] = &[
    (
        "httpChecksumRequired",
        "needs Content-MD5 for httpChecksumRequired (not implemented)",
    ),
    (
        "requestcompression",
        "needs request compression (requestcompression, not implemented)",
    ),
];

/// Cases that cannot pass against a sans-IO request, keyed `input:<id>`, with the reason.
const KNOWN_SKIPS: &[(&str, &str)] = &[
    (
        "input:RestJsonHostWithPath",
        "the endpoint's base path (`https://example.com/custom`) is joined by the client; a sans-IO request's path is relative to the endpoint",
    ),
    (
        "input:RestJsonQueryIdempotencyTokenAutoFill",
        "expects the suite's fixed test token; botogen fills in a random UUID v4 (its format is checked in tests/fixtures/http)",
    ),
];

/// Why a case is skipped for a reason of its own, if it is.
fn known_skip(key: &str) -> Option<String> {
    KNOWN_SKIPS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, reason)| (*reason).to_owned())
}

/// Why a case needs a feature botogen lacks, judged from its `given`, if it does.
pub fn missing_feature(given: &Value) -> Option<String> {
    MISSING_FEATURES
        .iter()
        .find(|(key, _)| given.get(*key).is_some_and(|v| v != &Value::Bool(false)))
        .map(|(_, reason)| (*reason).to_owned())
}

/// Reads one protocol test file, marking the cases skipped by `ignore` or by a missing feature.
pub fn read_suites(
    path: &Path,
    direction: Direction,
    ignore: &IgnoreList,
) -> Result<Vec<Suite>, String> {
    let text = read_text(path)?;
    let suites: Vec<BTreeMap<String, Box<RawValue>>> =
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}: expected an array of suite objects: {e}",
                path.display()
            )
        })?;
    suites
        .iter()
        .enumerate()
        .map(|(index, suite)| read_suite(suite, direction, index, ignore))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn read_suite(
    raw: &BTreeMap<String, Box<RawValue>>,
    direction: Direction,
    index: usize,
    ignore: &IgnoreList,
) -> Result<Suite, String> {
    let field = |key: &str| {
        raw.get(key)
            .map(|value| value.get())
            .ok_or_else(|| format!("suite {index}: `{key}` missing"))
    };
    let parse = |key: &str| -> Result<Value, String> {
        serde_json::from_str(field(key)?).map_err(|e| format!("suite {index}: `{key}`: {e}"))
    };
    let description = parse("description")?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let metadata = match parse("metadata")? {
        Value::Object(metadata) => metadata,
        _ => return Err(format!("suite {index}: `metadata` is not an object")),
    };
    let cases = parse("cases")?
        .as_array()
        .ok_or_else(|| format!("suite {index}: `cases` is not an array"))?
        .iter()
        .map(|case| read_case(case, direction, &description, ignore))
        .collect::<Result<_, _>>()?;
    let client_endpoint = match raw.get("clientEndpoint") {
        Some(_) => parse("clientEndpoint")?.as_str().map(str::to_owned),
        None => None,
    };
    Ok(Suite {
        direction,
        index,
        client_endpoint,
        metadata,
        shapes: field("shapes")?.to_owned(),
        description,
        cases,
    })
}

fn read_case(
    json: &Value,
    direction: Direction,
    description: &str,
    ignore: &IgnoreList,
) -> Result<Case, String> {
    let id = json["id"]
        .as_str()
        .ok_or_else(|| format!("a case of `{description}` has no `id`"))?
        .to_owned();
    if json["given"]["name"].as_str().is_none() {
        return Err(format!("case {id}: `given.name` missing"));
    }
    // Cases botocore itself skips are run anyway: most pass, and the rest are skipped below
    // with the reason that applies to botogen.
    let key = format!("{}:{id}", direction.dir_name());
    let skip = missing_feature(&json["given"]).or_else(|| known_skip(&key));
    let ignored_by_botocore = ignore.reason(direction, description, &id).is_some();
    Ok(Case {
        key,
        id,
        json: json.clone(),
        skip,
        ignored_by_botocore,
    })
}

/// Reads and parses a JSON file, naming the file on failure.
pub fn read_json(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Reads a text file, naming the file on failure.
fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The strings of a JSON array (nothing for anything else).
fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_features_are_read_from_given() {
        assert_eq!(missing_feature(&json!({"name": "Op"})), None);
        assert_eq!(
            missing_feature(&json!({"httpChecksumRequired": false})),
            None
        );
        assert!(
            missing_feature(&json!({"httpChecksumRequired": true}))
                .is_some_and(|reason| reason.contains("Content-MD5"))
        );
        assert!(
            missing_feature(&json!({"requestcompression": {"encodings": ["gzip"]}}))
                .is_some_and(|reason| reason.contains("compression"))
        );
    }

    #[test]
    fn ignore_list_matches_suites_and_cases_by_direction() {
        let list = IgnoreList {
            general_suites: BTreeSet::from([(Direction::Input, "Suite S".to_owned())]),
            rest_json_cases: BTreeSet::from([(Direction::Output, "Case".to_owned())]),
        };
        assert!(list.reason(Direction::Input, "Suite S", "X").is_some());
        assert!(list.reason(Direction::Output, "Suite S", "X").is_none());
        assert!(list.reason(Direction::Output, "Other", "Case").is_some());
        assert!(list.reason(Direction::Input, "Other", "Case").is_none());
    }
}
