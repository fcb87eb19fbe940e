//! Routing (method and path to operation, as the model's `http` traits give them) and reading
//! the request's path labels and query parameters.
//!
//! Labels are percent-decoded and checked against the model's constraints on
//! `IdentityPoolId`, `IdentityId` and `DatasetName`; a path that matches no emulated
//! operation, or a method the path does not take, is 404 `UnknownOperationException`.

use super::error::ApiError;

/// The emulated operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operation {
    ListIdentityPoolUsage,
    DescribeIdentityPoolUsage,
    DescribeIdentityUsage,
    ListDatasets,
    DescribeDataset,
    UpdateRecords,
    DeleteDataset,
    ListRecords,
}

impl Operation {
    /// The operation's name in the model.
    pub fn name(self) -> &'static str {
        match self {
            Operation::ListIdentityPoolUsage => "ListIdentityPoolUsage",
            Operation::DescribeIdentityPoolUsage => "DescribeIdentityPoolUsage",
            Operation::DescribeIdentityUsage => "DescribeIdentityUsage",
            Operation::ListDatasets => "ListDatasets",
            Operation::DescribeDataset => "DescribeDataset",
            Operation::UpdateRecords => "UpdateRecords",
            Operation::DeleteDataset => "DeleteDataset",
            Operation::ListRecords => "ListRecords",
        }
    }
}

/// A matched route: the operation and its path labels as sent (still percent-encoded), in
/// path order (identity pool, identity, dataset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Route {
    pub operation: Operation,
    pub labels: Vec<String>,
}

/// The route of `method` and `path` (as sent), if an emulated operation has it.
pub(crate) fn route(method: &str, path: &str) -> Option<Route> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    if segments.first() != Some(&"identitypools") {
        return None;
    }
    let labels_ok = |indexes: &[usize]| indexes.iter().all(|&i| !segments[i].is_empty());
    let (operation, label_indexes): (Operation, &[usize]) = match (method, segments.as_slice()) {
        ("GET", [_]) => (Operation::ListIdentityPoolUsage, &[]),
        ("GET", [_, _]) => (Operation::DescribeIdentityPoolUsage, &[1]),
        ("GET", [_, _, "identities", _]) => (Operation::DescribeIdentityUsage, &[1, 3]),
        ("GET", [_, _, "identities", _, "datasets"]) => (Operation::ListDatasets, &[1, 3]),
        (method, [_, _, "identities", _, "datasets", _]) => {
            let operation = match method {
                "GET" => Operation::DescribeDataset,
                "POST" => Operation::UpdateRecords,
                "DELETE" => Operation::DeleteDataset,
                _ => return None,
            };
            (operation, &[1, 3, 5])
        }
        ("GET", [_, _, "identities", _, "datasets", _, "records"]) => {
            (Operation::ListRecords, &[1, 3, 5])
        }
        _ => return None,
    };
    if !labels_ok(label_indexes) {
        return None;
    }
    Some(Route {
        operation,
        labels: label_indexes
            .iter()
            .map(|&i| segments[i].to_owned())
            .collect(),
    })
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`); `None` for a malformed
/// escape or text that is not UTF-8.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The kinds of path label, with the model's constraints.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Label {
    IdentityPoolId,
    IdentityId,
    DatasetName,
}

impl Label {
    fn member(self) -> &'static str {
        match self {
            Label::IdentityPoolId => "identityPoolId",
            Label::IdentityId => "identityId",
            Label::DatasetName => "datasetName",
        }
    }
}

/// A label decoded and checked against its shape's length and pattern.
pub(crate) fn label(raw: &str, kind: Label) -> Result<String, ApiError> {
    let member = kind.member();
    let value = percent_decode(raw, false).ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "The {member} in the path is not valid percent-encoded UTF-8."
        ))
    })?;
    let length = value.chars().count();
    let (max, pattern, matches) = match kind {
        Label::IdentityPoolId | Label::IdentityId => {
            (55, r"[\w-]+:[0-9a-f-]+", is_namespaced_guid(&value))
        }
        Label::DatasetName => (
            128,
            "[a-zA-Z0-9_.:-]+",
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b)),
        ),
    };
    if length < 1 || length > max {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy \
             constraint: Member must have length between 1 and {max}"
        )));
    }
    if !matches {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: {pattern}"
        )));
    }
    Ok(value)
}

/// `[\w-]+:[0-9a-f-]+`, the whole text.
fn is_namespaced_guid(value: &str) -> bool {
    let Some((region, guid)) = value.split_once(':') else {
        return false;
    };
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !guid.is_empty()
        && guid
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
}

/// The decoded `key=value` pairs of a query string (a key without `=` has an empty value).
/// Pairs that do not decode are skipped.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(key, true)?, percent_decode(value, true)?))
        })
        .collect()
}

/// The first value of query parameter `name`.
pub(crate) fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Query parameter `name` as an integer; 400 `SerializationException` if it is not one.
pub(crate) fn query_integer(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<i64>, ApiError> {
    query_value(pairs, name)
        .map(|text| {
            text.parse::<i64>().map_err(|_| {
                ApiError::serialization(format!(
                    "Cannot read query parameter {name}: '{text}' is not an integer"
                ))
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_the_emulated_operations() {
        let base = "/identitypools/us-east-1%3Aab/identities/us-east-1%3Acd/datasets";
        let cases = [
            (
                "GET",
                "/identitypools".to_owned(),
                Some("ListIdentityPoolUsage"),
            ),
            (
                "GET",
                "/identitypools/p".to_owned(),
                Some("DescribeIdentityPoolUsage"),
            ),
            (
                "GET",
                "/identitypools/p/identities/i".to_owned(),
                Some("DescribeIdentityUsage"),
            ),
            ("GET", base.to_owned(), Some("ListDatasets")),
            ("GET", format!("{base}/d"), Some("DescribeDataset")),
            ("POST", format!("{base}/d"), Some("UpdateRecords")),
            ("DELETE", format!("{base}/d"), Some("DeleteDataset")),
            ("GET", format!("{base}/d/records"), Some("ListRecords")),
            ("PUT", format!("{base}/d"), None),
            ("POST", format!("{base}/d/records"), None),
            ("GET", format!("{base}//records"), None),
            ("GET", "/identitypools/p/configuration".to_owned(), None),
            ("GET", "/".to_owned(), None),
            ("GET", "/identitypools/".to_owned(), None),
            ("GET", "identitypools".to_owned(), None),
        ];
        for (method, path, expected) in cases {
            let found = route(method, &path).map(|r| r.operation.name());
            assert_eq!(found, expected, "{method} {path}");
        }
        let matched = route("GET", &format!("{base}/d/records")).unwrap();
        assert_eq!(matched.labels, ["us-east-1%3Aab", "us-east-1%3Acd", "d"]);
    }

    #[test]
    fn decodes_and_checks_labels() {
        assert_eq!(
            label("us-east-1%3Aab-12", Label::IdentityId).unwrap(),
            "us-east-1:ab-12"
        );
        assert_eq!(label("a.b:c_d-1", Label::DatasetName).unwrap(), "a.b:c_d-1");
        for (raw, kind) in [
            ("us-east-1%3AAB", Label::IdentityId),
            ("no-colon", Label::IdentityPoolId),
            ("%zz", Label::DatasetName),
            ("%ff", Label::DatasetName),
            ("a%20b", Label::DatasetName),
            ("%", Label::DatasetName),
            ("%+1", Label::DatasetName),
        ] {
            assert!(label(raw, kind).is_err(), "{raw}");
        }
        assert!(label(&"a".repeat(129), Label::DatasetName).is_err());
    }

    #[test]
    fn reads_query_parameters() {
        let pairs = query_pairs("maxResults=10&nextToken=a%2Bb+c&flag&bad=%zz&lastSyncCount=x");
        assert_eq!(query_value(&pairs, "nextToken"), Some("a+b c"));
        assert_eq!(query_value(&pairs, "flag"), Some(""));
        assert_eq!(query_value(&pairs, "bad"), None);
        assert_eq!(query_integer(&pairs, "maxResults").unwrap(), Some(10));
        assert!(query_integer(&pairs, "lastSyncCount").is_err());
        assert_eq!(query_integer(&pairs, "missing").unwrap(), None);
    }
}
