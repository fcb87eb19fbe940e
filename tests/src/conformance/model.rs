//! From a suite to a generated crate: the suite's `metadata` and `shapes` plus the operations
//! its cases define become a `service-2.json` model, which botogen generates and lowers.

use std::collections::BTreeMap;

use botogen_codegen::{CrateSettings, Files, ModelFiles, ir};
use serde_json::{Map, Value, json};

use super::suites::Suite;

/// Metadata keys the generator requires that the suites leave out, with the value used.
const METADATA_DEFAULTS: &[(&str, &str)] = &[
    ("apiVersion", "2019-12-16"),
    ("endpointPrefix", "conformance"),
    ("serviceId", "Conformance"),
    ("signatureVersion", "v4"),
];

/// A suite with its generated crate, or the generator's reason for rejecting it.
#[derive(Debug)]
pub struct PreparedSuite {
    /// The suite as read.
    pub suite: Suite,
    /// The operation (model name) each case uses, by case index.
    pub case_operations: Vec<String>,
    /// The generated crate and its IR, or the generator's error text.
    pub generated: Result<GeneratedSuite, String>,
}

/// The output of the generator for one suite.
#[derive(Debug)]
pub struct GeneratedSuite {
    /// Files of the crate by relative path.
    pub files: Files,
    /// The lowered model: every Rust name the generator chose.
    pub service: ir::Service,
}

/// Builds the suite's model and runs the generator on it.
pub fn prepare(suite: Suite) -> PreparedSuite {
    let (operations, case_operations) = collect_operations(&suite);
    let text = service_json(&suite, operations);
    let generated = generate(&suite.module(), &text);
    PreparedSuite {
        suite,
        case_operations,
        generated,
    }
}

/// Generates and lowers the model `text`, keeping the generator's message on failure.
fn generate(module: &str, text: &str) -> Result<GeneratedSuite, String> {
    let files = ModelFiles::from_service_json(&format!("conformance/{module}"), text);
    let settings = CrateSettings {
        name: format!("conformance-{}", module.replace('_', "-")),
        version: "0.1.0".to_owned(),
        runtime_version: "0.1.0".to_owned(),
        runtime_path: None,
    };
    let generated =
        botogen_codegen::generate(&files, Some(&settings)).map_err(|e| e.to_string())?;
    let (service, _) = botogen_codegen::lower(&files).map_err(|e| e.to_string())?;
    Ok(GeneratedSuite {
        files: generated.files,
        service,
    })
}

/// The operations the cases define, by (possibly renamed) name, and each case's operation.
///
/// Cases normally share one definition per name; a case that redefines a name differently
/// gets its own operation, named `<name>2`, `<name>3`, ... in case order.
fn collect_operations(suite: &Suite) -> (BTreeMap<String, Value>, Vec<String>) {
    let mut operations: BTreeMap<String, Value> = BTreeMap::new();
    let mut case_operations = Vec::new();
    for case in &suite.cases {
        let given = case.given();
        let base = given["name"].as_str().unwrap_or_default();
        let name = (1..)
            .map(|n| match n {
                1 => base.to_owned(),
                n => format!("{base}{n}"),
            })
            .find(|name| match operations.get(name) {
                None => true,
                Some(existing) => same_operation(existing, given),
            })
            .expect("some candidate name is free");
        let mut definition = given.clone();
        definition["name"] = Value::String(name.clone());
        operations.insert(name.clone(), definition);
        case_operations.push(name);
    }
    (operations, case_operations)
}

/// Whether two `given` objects define the same operation (the name aside).
fn same_operation(a: &Value, b: &Value) -> bool {
    let without_name = |v: &Value| {
        let mut v = v.clone();
        if let Some(object) = v.as_object_mut() {
            object.remove("name");
        }
        v
    };
    without_name(a) == without_name(b)
}

/// The `service-2.json` text of a suite; `shapes` is spliced in as written.
fn service_json(suite: &Suite, operations: BTreeMap<String, Value>) -> String {
    let mut metadata = suite.metadata.clone();
    for (key, value) in METADATA_DEFAULTS {
        metadata
            .entry(*key)
            .or_insert_with(|| Value::String((*value).to_owned()));
    }
    let operations: Map<String, Value> = operations.into_iter().collect();
    let head = json!({
        "version": "2.0",
        "metadata": metadata,
        "operations": operations,
    });
    let head = serde_json::to_string_pretty(&head).expect("a JSON value always serializes");
    let open = head
        .strip_suffix('}')
        .expect("an object ends with `}`")
        .trim_end();
    format!("{open},\n  \"shapes\": {}\n}}\n", suite.shapes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::suites::{Case, Direction};

    fn case(id: &str, given: Value) -> Case {
        Case {
            id: id.to_owned(),
            key: format!("input:{id}"),
            json: json!({ "id": id, "given": given }),
            skip: None,
            ignored_by_botocore: false,
        }
    }

    #[test]
    fn a_redefined_operation_gets_its_own_name() {
        let get = json!({"name": "Op", "http": {"method": "GET", "requestUri": "/"}});
        let put = json!({"name": "Op", "http": {"method": "PUT", "requestUri": "/"}});
        let suite = Suite {
            direction: Direction::Input,
            index: 0,
            description: String::new(),
            metadata: Map::new(),
            shapes: "{}".to_owned(),
            cases: vec![case("a", get.clone()), case("b", put), case("c", get)],
            client_endpoint: None,
        };
        let (operations, per_case) = collect_operations(&suite);
        assert_eq!(per_case, ["Op", "Op2", "Op"]);
        assert_eq!(operations["Op2"]["name"], "Op2");
        assert_eq!(operations["Op2"]["http"]["method"], "PUT");
    }

    #[test]
    fn the_model_keeps_shapes_as_written_and_fills_metadata() {
        let suite = Suite {
            direction: Direction::Input,
            index: 0,
            description: String::new(),
            metadata: Map::from_iter([("protocol".to_owned(), json!("rest-json"))]),
            shapes: r#"{"S": {"type": "structure", "members": {"z": {"shape": "T"}, "a": {"shape": "T"}}}}"#
                .to_owned(),
            cases: Vec::new(),
            client_endpoint: None,
        };
        let text = service_json(&suite, BTreeMap::new());
        assert!(text.contains(r#""members": {"z": {"shape": "T"}, "a": {"shape": "T"}}"#));
        let model: Value = serde_json::from_str(&text).expect("the model is JSON");
        assert_eq!(model["metadata"]["endpointPrefix"], "conformance");
        assert_eq!(model["metadata"]["protocol"], "rest-json");
    }
}
