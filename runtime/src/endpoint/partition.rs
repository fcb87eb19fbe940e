//! The AWS partition table behind `aws.partition`.
//!
//! `partitions.json` next to this file is botocore's `botocore/data/partitions.json` from the
//! botocore 1.44.5 wheel on PyPI, unmodified (Apache-2.0, Copyright Amazon.com, Inc.). It is
//! embedded with `include_str!` and parsed on first use with the crate's own JSON reader.
//!
//! Each partition has an `id`, the `outputs` that `aws.partition` returns (`name`,
//! `dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`,
//! `implicitGlobalRegion`), a `regionRegex`, and the `regions` it is known to hold; a region
//! entry may override outputs (other than its `description`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Value;
use crate::document::Document;
use crate::json::parse_document;
use crate::pattern::Pattern;

/// The embedded partition data.
pub(crate) const PARTITIONS_JSON: &str = include_str!("partitions.json");

/// One partition.
#[derive(Debug)]
pub(crate) struct Partition {
    pub(crate) id: String,
    /// `None` when the partition has no `regionRegex` (or one this crate cannot compile).
    region_regex: Option<Pattern>,
    /// Region name -> output overrides.
    regions: BTreeMap<String, BTreeMap<String, Value>>,
    outputs: BTreeMap<String, Value>,
}

/// All partitions, in file order.
#[derive(Debug)]
pub(crate) struct Partitions {
    pub(crate) partitions: Vec<Partition>,
}

impl Partitions {
    /// Parses a `partitions.json` document.
    pub(crate) fn from_json(text: &str) -> Result<Partitions, String> {
        let doc = parse_document(text.as_bytes()).map_err(|e| e.to_string())?;
        let list = doc
            .as_object()
            .and_then(|o| o.get("partitions"))
            .and_then(Document::as_array)
            .ok_or("expected an object with a `partitions` array")?;
        let mut partitions = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let p = p
                .as_object()
                .ok_or_else(|| format!("partitions[{i}] is not an object"))?;
            let id = p
                .get("id")
                .and_then(Document::as_str)
                .ok_or_else(|| format!("partitions[{i}].id is missing"))?
                .to_owned();
            let outputs = match p.get("outputs") {
                Some(Document::Object(o)) => record(o),
                _ => return Err(format!("partitions[{i}].outputs is missing")),
            };
            let region_regex = p
                .get("regionRegex")
                .and_then(Document::as_str)
                .and_then(|r| Pattern::new(r).ok());
            let mut regions = BTreeMap::new();
            if let Some(Document::Object(rs)) = p.get("regions") {
                for (name, overrides) in rs {
                    let mut o = match overrides {
                        Document::Object(o) => record(o),
                        _ => BTreeMap::new(),
                    };
                    o.remove("description");
                    regions.insert(name.clone(), o);
                }
            }
            partitions.push(Partition {
                id,
                region_regex,
                regions,
                outputs,
            });
        }
        Ok(Partitions { partitions })
    }

    /// The embedded table, parsed once.
    pub(crate) fn embedded() -> Result<&'static Partitions, String> {
        static CELL: OnceLock<Result<Partitions, String>> = OnceLock::new();
        CELL.get_or_init(|| Partitions::from_json(PARTITIONS_JSON))
            .as_ref()
            .map_err(|e| format!("embedded partitions.json: {e}"))
    }

    /// The outputs of the partition `region` is in: the partition that lists it by name,
    /// else the first whose `regionRegex` matches it, else `aws`.
    pub(crate) fn resolve(&self, region: &str) -> Option<Value> {
        for p in &self.partitions {
            if let Some(overrides) = p.regions.get(region) {
                let mut outputs = p.outputs.clone();
                outputs.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
                return Some(Value::Record(outputs));
            }
        }
        let by_regex = self.partitions.iter().find(|p| {
            p.region_regex
                .as_ref()
                .is_some_and(|regex| regex.is_match(region))
        });
        by_regex
            .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))
            .map(|p| Value::Record(p.outputs.clone()))
    }
}

/// Converts the members of a JSON object to rule-engine values.
fn record(object: &BTreeMap<String, Document>) -> BTreeMap<String, Value> {
    object
        .iter()
        .filter_map(|(k, v)| Value::from_document(v).map(|v| (k.clone(), v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(p: &Partitions, region: &str) -> Option<String> {
        match p.resolve(region)? {
            Value::Record(r) => match r.get("name") {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn embedded_data_parses() {
        let p = Partitions::embedded().unwrap();
        assert!(p.partitions.len() >= 8);
        assert!(p.partitions.iter().all(|p| p.region_regex.is_some()));
        assert_eq!(p.partitions[0].id, "aws");
    }

    #[test]
    fn region_matching() {
        let p = Partitions::embedded().unwrap();
        // Listed by name.
        assert_eq!(name_of(p, "us-east-1").as_deref(), Some("aws"));
        assert_eq!(name_of(p, "aws-global").as_deref(), Some("aws"));
        assert_eq!(name_of(p, "cn-north-1").as_deref(), Some("aws-cn"));
        assert_eq!(name_of(p, "us-gov-west-1").as_deref(), Some("aws-us-gov"));
        assert_eq!(name_of(p, "us-isob-east-1").as_deref(), Some("aws-iso-b"));
        // By regex.
        assert_eq!(name_of(p, "eu-south-9").as_deref(), Some("aws"));
        assert_eq!(name_of(p, "cn-south-7").as_deref(), Some("aws-cn"));
        assert_eq!(name_of(p, "us-gov-north-3").as_deref(), Some("aws-us-gov"));
        assert_eq!(name_of(p, "us-iso-north-2").as_deref(), Some("aws-iso"));
        assert_eq!(name_of(p, "eusc-de-west-5").as_deref(), Some("aws-eusc"));
        // Default.
        assert_eq!(name_of(p, "mars-east-1").as_deref(), Some("aws"));
        assert_eq!(name_of(p, "").as_deref(), Some("aws"));
    }

    #[test]
    fn outputs_and_overrides() {
        let text = r#"{"partitions": [
            {"id": "aws", "outputs": {"name": "aws", "dnsSuffix": "a.com", "supportsFIPS": true},
             "regionRegex": "^a-\\d$",
             "regions": {"special": {"description": "x", "dnsSuffix": "special.com"}}},
            {"id": "other", "outputs": {"name": "other", "dnsSuffix": "o.com"},
             "regionRegex": "^o-\\d$"}
        ]}"#;
        let p = Partitions::from_json(text).unwrap();
        let Some(Value::Record(r)) = p.resolve("special") else {
            panic!("no record")
        };
        assert_eq!(
            r.get("dnsSuffix"),
            Some(&Value::String("special.com".into()))
        );
        assert_eq!(r.get("supportsFIPS"), Some(&Value::Bool(true)));
        assert!(!r.contains_key("description"));
        assert_eq!(name_of(&p, "o-1").as_deref(), Some("other"));
        assert_eq!(name_of(&p, "zzz").as_deref(), Some("aws"));
    }

    #[test]
    fn malformed_partition_data() {
        assert!(Partitions::from_json("").is_err());
        assert!(Partitions::from_json("[]").is_err());
        assert!(Partitions::from_json(r#"{"partitions": [1]}"#).is_err());
        assert!(Partitions::from_json(r#"{"partitions": [{"id": "x"}]}"#).is_err());
        let no_aws = Partitions::from_json(r#"{"partitions": []}"#).unwrap();
        assert_eq!(no_aws.resolve("us-east-1"), None);
    }
}
