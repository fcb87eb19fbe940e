//! One `#[test]` per case, as Rust source for the scratch crate.
//!
//! An input case builds the operation's input from `params`, serializes it and hands the
//! request to `support::check_request` with what `serialized` expects. An output case builds
//! the response, parses it, and compares the output (by `Debug`) or the error (variant, code,
//! message, modelled members) with what the case expects.

use std::collections::BTreeSet;

use botogen_codegen::ir::{self, ShapeKind};
use serde_json::Value;

use super::model::{GeneratedSuite, PreparedSuite};
use super::suites::{Case, Direction};
use super::values::{ValueWriter, find_member};

/// What happens to one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned {
    /// It runs as the scratch test `cases::<fn_name>`.
    Test {
        /// The test function's name.
        fn_name: String,
    },
    /// It is skipped for this reason.
    Skip(String),
}

/// The plan for one case.
#[derive(Clone, Debug)]
pub struct PlannedCase {
    /// `input:<id>` or `output:<id>`.
    pub key: String,
    /// Which file the case comes from.
    pub direction: Direction,
    /// Run or skip.
    pub planned: Planned,
    /// The case expects a `host` and the suite has no `clientEndpoint` to check it against.
    pub host_unchecked: bool,
    /// botocore's ignore list names the case.
    pub ignored_by_botocore: bool,
}

/// Every case's plan, and the source of `src/cases.rs`.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Cases in file order, inputs first.
    pub cases: Vec<PlannedCase>,
    /// The test module's source.
    pub source: String,
}

/// Plans every case of `suites` and writes the tests of those that run. `Err` when a case's
/// values cannot be expressed with the IR (a harness or data problem).
pub fn plan(suites: &[PreparedSuite]) -> Result<Plan, String> {
    let mut plan = Plan {
        source: "//! One test per botocore conformance case.\n".to_owned(),
        ..Plan::default()
    };
    let mut names = BTreeSet::new();
    for prepared in suites {
        for (index, case) in prepared.suite.cases.iter().enumerate() {
            let planned = match (&case.skip, &prepared.generated) {
                (Some(reason), _) => Planned::Skip(reason.clone()),
                (None, Err(error)) => {
                    Planned::Skip(format!("generator rejected the model: {error}"))
                }
                (None, Ok(generated)) => {
                    let fn_name = unique_fn_name(&mut names, prepared.suite.direction, &case.id);
                    let operation = find_operation(generated, &prepared.case_operations[index])?;
                    let module = prepared.suite.module();
                    let writer = ValueWriter::new(&generated.service, &module);
                    let endpoint = prepared.suite.client_endpoint.as_deref();
                    let body = match prepared.suite.direction {
                        Direction::Input => input_test(&writer, operation, case, endpoint),
                        Direction::Output => output_test(&writer, operation, case),
                    }
                    .map_err(|e| format!("{}: {e}", case.key))?;
                    plan.source.push_str(&format!(
                        "\n/// `{}` ({}).\n#[test]\nfn {fn_name}() {{\n{body}}}\n",
                        case.key, prepared.suite.description
                    ));
                    Planned::Test { fn_name }
                }
            };
            plan.cases.push(PlannedCase {
                key: case.key.clone(),
                direction: prepared.suite.direction,
                host_unchecked: case.json["serialized"].get("host").is_some()
                    && prepared.suite.client_endpoint.is_none()
                    && matches!(planned, Planned::Test { .. }),
                ignored_by_botocore: case.ignored_by_botocore,
                planned,
            });
        }
    }
    Ok(plan)
}

/// `input__<id>` with anything but ASCII alphanumerics as `_`, suffixed when taken.
fn unique_fn_name(taken: &mut BTreeSet<String>, direction: Direction, id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let base = format!("{}__{stem}", direction.dir_name());
    let name = (1..)
        .map(|n| match n {
            1 => base.clone(),
            n => format!("{base}_{n}"),
        })
        .find(|name| !taken.contains(name))
        .expect("some suffix is free");
    taken.insert(name.clone());
    name
}

fn find_operation<'g>(
    generated: &'g GeneratedSuite,
    name: &str,
) -> Result<&'g ir::Operation, String> {
    generated
        .service
        .operations
        .iter()
        .find(|op| op.name == name)
        .ok_or_else(|| format!("operation `{name}` not in the IR"))
}

/// The body of an input case's test.
fn input_test(
    writer: &ValueWriter,
    operation: &ir::Operation,
    case: &Case,
    client_endpoint: Option<&str>,
) -> Result<String, String> {
    let module = operation_path(writer, operation);
    let params = case.json.get("params").cloned().unwrap_or(Value::Null);
    let call = match &operation.input {
        Some(input) => {
            let params = if params.is_null() {
                Value::Object(Default::default())
            } else {
                params
            };
            format!(
                "    let input = {};\n    let request = {module}::serialize_request(&input, ::botogen_runtime::validate::Validation::Disabled);\n",
                writer.value(input, &params)?
            )
        }
        None => format!("    let request = {module}::serialize_request();\n"),
    };
    let serialized = &case.json["serialized"];
    // The host: the client endpoint with the request's host prefix, as the client applies it.
    let host = match (serialized["host"].as_str(), client_endpoint) {
        (Some(host), Some(endpoint)) => {
            format!("    crate::support::check_host(&request, {endpoint:?}, {host:?});\n")
        }
        _ => String::new(),
    };
    Ok(format!(
        "{call}    let request = request.unwrap_or_else(|e| panic!(\"serialize_request failed: {{e:?}}\"));\n    crate::support::check_request(&request, &crate::support::ExpectedRequest {{\n        method: {:?},\n        uri: {:?},\n        headers: &[{}],\n        require_headers: &[{}],\n        forbid_headers: &[{}],\n        body: {:?},\n    }});\n{host}",
        required_str(serialized, "method")?,
        required_str(serialized, "uri")?,
        header_pairs(&serialized["headers"]),
        string_items(&serialized["requireHeaders"]),
        string_items(&serialized["forbidHeaders"]),
        // No `body` means no body.
        serialized["body"].as_str().unwrap_or_default(),
    ))
}

/// The string `key` of `serialized`, or an error naming it.
fn required_str<'v>(serialized: &'v Value, key: &str) -> Result<&'v str, String> {
    serialized[key]
        .as_str()
        .ok_or_else(|| format!("`serialized.{key}` missing"))
}

/// The body of an output case's test.
fn output_test(
    writer: &ValueWriter,
    operation: &ir::Operation,
    case: &Case,
) -> Result<String, String> {
    let response = &case.json["response"];
    let mut out = format!(
        "    let response = crate::support::response({}, &[{}], {:?});\n    let parsed = {}::parse_response(&response);\n",
        response["status_code"]
            .as_u64()
            .ok_or("response.status_code missing")?,
        header_pairs(&response["headers"]),
        // No `body` means an empty one.
        response["body"].as_str().unwrap_or_default(),
        operation_path(writer, operation),
    );
    match case.json.get("errorCode").and_then(Value::as_str) {
        Some(code) => out.push_str(&error_checks(writer, operation, case, code)?),
        None => out.push_str(&success_checks(writer, operation, case)?),
    }
    Ok(out)
}

/// Checks of a successful parse against `result`.
fn success_checks(
    writer: &ValueWriter,
    operation: &ir::Operation,
    case: &Case,
) -> Result<String, String> {
    let expected = match &operation.output {
        Some(output) => {
            let result = case.json.get("result").cloned().unwrap_or(Value::Null);
            let result = if result.is_null() {
                Value::Object(Default::default())
            } else {
                result
            };
            writer.value(output, &result)?
        }
        None => "()".to_owned(),
    };
    Ok(format!(
        "    let actual = match parsed {{\n        Ok(output) => output,\n        Err(error) => panic!(\"parse_response failed: {{error:?}}\"),\n    }};\n    let expected = {expected};\n    crate::support::assert_same_debug(&actual, &expected);\n"
    ))
}

/// Checks of an error response: variant, code, message and modelled members.
fn error_checks(
    writer: &ValueWriter,
    operation: &ir::Operation,
    case: &Case,
    code: &str,
) -> Result<String, String> {
    let error_type = format!(
        "{}::{}",
        operation_path(writer, operation),
        operation.error_type_name
    );
    let mut out = format!(
        "    let error = match parsed {{\n        Ok(output) => panic!(\"expected error {code}, got output {{output:?}}\"),\n        Err(error) => error,\n    }};\n    assert_eq!(error.code(), Some({code:?}), \"error code of {{error:?}}\");\n"
    );
    if let Some(message) = case.json.get("errorMessage").and_then(Value::as_str) {
        out.push_str(&format!(
            "    assert_eq!(error.message(), Some({message:?}), \"error message of {{error:?}}\");\n"
        ));
    }
    let arm = match modelled_error(writer, operation, code)? {
        Some((shape, structure, info)) => {
            let members = case.json.get("error").cloned().unwrap_or(Value::Null);
            format!(
                "{error_type}::{}(e) => {{\n{}        }}",
                info.variant,
                member_checks(writer, shape, structure, &members)?
            )
        }
        None => {
            format!("{error_type}::Unhandled(e) => assert_eq!(e.meta().code(), Some({code:?})),")
        }
    };
    out.push_str(&format!(
        "    match error {{\n        {arm}\n        other => panic!(\"expected the variant for {code}, got {{other:?}}\"),\n    }}\n"
    ));
    Ok(out)
}

/// The operation's modelled error whose code is `code`, if any.
fn modelled_error<'w>(
    writer: &ValueWriter<'w>,
    operation: &ir::Operation,
    code: &str,
) -> Result<Option<(&'w ir::Shape, &'w ir::Structure, &'w ir::ErrorInfo)>, String> {
    for name in &operation.errors {
        let shape = writer.shape(name)?;
        if let ShapeKind::Structure(structure) = &shape.kind
            && let Some(info) = &structure.error
            && info.code == code
        {
            return Ok(Some((shape, structure, info)));
        }
    }
    Ok(None)
}

/// Compares each member named in the case's `error` object with the parsed exception `e`,
/// field by field, against the same member set on a freshly built exception.
fn member_checks(
    writer: &ValueWriter,
    shape: &ir::Shape,
    structure: &ir::Structure,
    members: &Value,
) -> Result<String, String> {
    let Some(object) = members.as_object().filter(|o| !o.is_empty()) else {
        return Ok("            let _ = e;\n".to_owned());
    };
    let expected = writer.structure(shape, structure, members)?;
    let mut out = format!("            let expected = {expected};\n");
    for name in object.keys() {
        let field = &find_member(&structure.members, name)?.field;
        out.push_str(&format!(
            "            assert_eq!(format!(\"{{:?}}\", e.{field}), format!(\"{{:?}}\", expected.{field}), \"error member {name}\");\n"
        ));
    }
    Ok(out)
}

/// `crate::<module>::operation::<snake_name>`.
fn operation_path(writer: &ValueWriter, operation: &ir::Operation) -> String {
    format!(
        "crate::{}::operation::{}",
        writer.module(),
        operation.snake_name
    )
}

/// `("name", "value"), ...` from a JSON object of strings.
fn header_pairs(headers: &Value) -> String {
    headers
        .as_object()
        .map(|object| {
            object
                .iter()
                .map(|(name, value)| {
                    let value = value
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| value.to_string());
                    format!("({name:?}, {value:?})")
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// `"a", "b", ...` from a JSON array of strings.
fn string_items(items: &Value) -> String {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
