//! Runs botocore's endpoint-rule test cases against the committed rule sets.
//!
//! Every directory `tests/data/endpoint/<service>/` holds an unmodified
//! `endpoint-tests-1.json` from botocore; the rule set is the committed model's
//! `models/<service>/<version>/endpoint-rule-set-1.json`. Each case gives parameters and
//! either the expected endpoint (URL, and headers and properties when given) or the
//! expected error message.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use botogen_runtime::Document;
use botogen_runtime::endpoint::{EndpointErrorKind, Params, RuleSet};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/endpoint")
}

/// The rule set of the one model version of `service`.
fn rule_set_path(service: &str) -> PathBuf {
    let dir = repo_root().join("models").join(service);
    let mut versions: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.join("endpoint-rule-set-1.json").is_file())
        .collect();
    versions.sort();
    let version = versions
        .pop()
        .unwrap_or_else(|| panic!("no endpoint-rule-set-1.json under {}", dir.display()));
    version.join("endpoint-rule-set-1.json")
}

fn read_json(path: &Path) -> Document {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Document::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn object(doc: &Document) -> &BTreeMap<String, Document> {
    doc.as_object().expect("an object")
}

fn params_of(case: &BTreeMap<String, Document>) -> Params {
    let mut params = Params::new();
    if let Some(given) = case.get("params") {
        for (name, value) in object(given) {
            match value {
                Document::String(s) => params = params.set(name, s.as_str()),
                Document::Bool(b) => params = params.set_bool(name, *b),
                Document::Array(items) => {
                    let items = items.iter().map(|i| i.as_str().expect("a string item"));
                    params = params.set_string_array(name, items);
                }
                other => panic!("unexpected parameter value {other}"),
            }
        }
    }
    params
}

/// Runs one service's cases; returns (passed, failures).
fn run_service(service: &str) -> (usize, Vec<String>) {
    let rules_text = fs::read_to_string(rule_set_path(service)).unwrap();
    let rules = RuleSet::from_json(&rules_text).unwrap_or_else(|e| panic!("{service}: {e}"));
    let tests = read_json(&data_dir().join(service).join("endpoint-tests-1.json"));
    let cases = object(&tests)["testCases"].as_array().expect("testCases");
    let mut passed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let case = object(case);
        let doc = case
            .get("documentation")
            .and_then(Document::as_str)
            .unwrap_or("");
        let label = format!("{service} case {i} ({doc})");
        let expect = object(&case["expect"]);
        let result = rules.resolve(&params_of(case));
        match (expect.get("endpoint"), expect.get("error"), result) {
            (Some(expected), None, Ok(endpoint)) => {
                let expected = object(expected);
                let mut problems = Vec::new();
                let url = expected["url"].as_str().expect("url");
                if endpoint.url != url {
                    problems.push(format!("url {:?} != {url:?}", endpoint.url));
                }
                if let Some(headers) = expected.get("headers") {
                    let headers: BTreeMap<String, Vec<String>> = object(headers)
                        .iter()
                        .map(|(k, v)| {
                            let values = v.as_array().expect("header values");
                            let values = values.iter().map(|v| v.as_str().unwrap().to_owned());
                            (k.clone(), values.collect())
                        })
                        .collect();
                    if endpoint.headers != headers {
                        problems.push(format!("headers {:?} != {headers:?}", endpoint.headers));
                    }
                }
                if let Some(properties) = expected.get("properties")
                    && &endpoint.properties != properties
                {
                    problems.push(format!(
                        "properties {} != {properties}",
                        endpoint.properties
                    ));
                }
                if problems.is_empty() {
                    passed += 1;
                } else {
                    failures.push(format!("{label}: {}", problems.join("; ")));
                }
            }
            (None, Some(expected), Err(err)) => {
                let expected = expected.as_str().expect("error text");
                if err.to_string() == expected && err.kind() == EndpointErrorKind::Rule {
                    passed += 1;
                } else {
                    failures.push(format!("{label}: error {err:?}, expected {expected:?}"));
                }
            }
            (_, _, result) => {
                failures.push(format!("{label}: got {result:?}, expected {expect:?}"))
            }
        }
    }
    (passed, failures)
}

#[test]
fn botocore_endpoint_rule_cases() {
    let mut services: Vec<String> = fs::read_dir(data_dir())
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().join("endpoint-tests-1.json").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    assert!(services.iter().any(|s| s == "cognito-sync"), "{services:?}");
    let mut total = 0;
    let mut failures = Vec::new();
    for service in &services {
        let (passed, failed) = run_service(service);
        if service == "cognito-sync" {
            assert_eq!(passed + failed.len(), 31, "cognito-sync has 31 cases");
        }
        total += passed;
        failures.extend(failed);
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("endpoint rules: {total} passed");
}

#[test]
fn cognito_sync_parameters_map_to_sdk_settings() {
    let text = fs::read_to_string(rule_set_path("cognito-sync")).unwrap();
    let rules = RuleSet::from_json(&text).unwrap();
    let built_ins: Vec<(&str, Option<&str>)> = rules
        .parameters()
        .iter()
        .map(|p| (p.name(), p.built_in()))
        .collect();
    assert_eq!(
        built_ins,
        [
            ("Endpoint", Some("SDK::Endpoint")),
            ("Region", Some("AWS::Region")),
            ("UseDualStack", Some("AWS::UseDualStack")),
            ("UseFIPS", Some("AWS::UseFIPS")),
        ]
    );
    // Defaults apply: FIPS and dual-stack off unless asked for.
    let endpoint = rules
        .resolve(&Params::new().set("Region", "eu-west-3"))
        .unwrap();
    assert_eq!(endpoint.url, "https://cognito-sync.eu-west-3.amazonaws.com");
    assert_eq!(endpoint.properties.to_string(), "{}");
    assert!(endpoint.headers.is_empty());
}
