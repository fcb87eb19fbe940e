//! Reading botocore's protocol test files and deciding, from the data alone, which cases are
//! skipped: those botocore itself ignores, and those needing a feature botogen lacks.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

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
    /// The suite's `shapes` object.
    pub shapes: serde_json::Map<String, Value>,
    /// The cases, in file order.
    pub cases: Vec<Case>,
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
    let json = read_json(path)?;
    let suites = json
        .as_array()
        .ok_or_else(|| format!("{}: expected an array of suites", path.display()))?;
    suites
        .iter()
        .enumerate()
        .map(|(index, suite)| read_suite(suite, direction, index, ignore))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn read_suite(
    json: &Value,
    direction: Direction,
    index: usize,
    ignore: &IgnoreList,
) -> Result<Suite, String> {
    let object = |key: &str| {
        json.get(key)
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| format!("suite {index}: `{key}` missing or not an object"))
    };
    let description = json["description"].as_str().unwrap_or_default().to_owned();
    let cases = json["cases"]
        .as_array()
        .ok_or_else(|| format!("suite {index}: `cases` missing"))?
        .iter()
        .map(|case| read_case(case, direction, &description, ignore))
        .collect::<Result<_, _>>()?;
    Ok(Suite {
        direction,
        index,
        metadata: object("metadata")?,
        shapes: object("shapes")?,
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
    let skip = ignore
        .reason(direction, description, &id)
        .or_else(|| missing_feature(&json["given"]));
    Ok(Case {
        key: format!("{}:{id}", direction.dir_name()),
        id,
        json: json.clone(),
        skip,
    })
}

/// Reads and parses a JSON file, naming the file on failure.
pub fn read_json(path: &Path) -> Result<Value, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
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
