//! Bad models fail with an error that names the file, the JSON path and the problem; models
//! using constructs the generator does not support yet name the construct. Never a panic.

use botogen_codegen::ModelFiles;

/// A minimal valid model; tests replace parts of it.
const VALID: &str = r#"{
  "version": "2.0",
  "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "svc", "protocol": "rest-json", "serviceId": "Svc"},
  "operations": {
    "Get": {"name": "Get", "http": {"method": "GET", "requestUri": "/items/{Id}"},
            "input": {"shape": "GetRequest"}, "output": {"shape": "GetResponse"}}
  },
  "shapes": {
    "GetRequest": {"type": "structure", "required": ["Id"],
                   "members": {"Id": {"shape": "Id", "location": "uri", "locationName": "Id"}}},
    "GetResponse": {"type": "structure", "members": {"Items": {"shape": "IdList"}}},
    "IdList": {"type": "list", "member": {"shape": "Id"}},
    "Id": {"type": "string"}
  }
}"#;

fn generate(text: &str) -> Result<botogen_codegen::Generated, String> {
    botogen_codegen::generate(&ModelFiles::from_service_json("test/model", text), None)
        .map_err(|e| e.to_string())
}

/// Applies `edit` to the valid model's JSON and returns the generator's error text.
fn error_after(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut model: serde_json::Value = serde_json::from_str(VALID).unwrap();
    edit(&mut model);
    match generate(&model.to_string()) {
        Ok(_) => panic!("expected the edited model to be rejected"),
        Err(message) => message,
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "expected {part:?} in: {message}");
    }
}

#[test]
fn the_base_model_is_valid() {
    let generated = generate(VALID).unwrap();
    assert!(generated.files.contains_key("src/types/get_request.rs"));
    assert!(generated.warnings.is_empty());
}

#[test]
fn syntax_errors_give_line_and_column() {
    let message = generate("{\"version\": \"2.0\", \"metadata\": {").unwrap_err();
    assert_mentions(&message, &["service-2.json", "line 1", "column"]);
    let message = generate(&format!("{VALID} trailing")).unwrap_err();
    assert_mentions(&message, &["service-2.json", "trailing characters"]);
}

#[test]
fn wrong_types_name_the_json_path() {
    let message = error_after(|m| m["shapes"]["GetRequest"]["members"] = serde_json::json!([]));
    assert_mentions(&message, &["shapes.GetRequest.members", "a JSON object"]);
    let message = error_after(|m| m["shapes"]["Id"]["type"] = serde_json::json!("text"));
    assert_mentions(&message, &["shapes.Id.type", "unknown variant `text`"]);
    let message =
        error_after(|m| m["operations"]["Get"]["http"]["responseCode"] = serde_json::json!("200"));
    assert_mentions(
        &message,
        &["operations.Get.http.responseCode", "invalid type"],
    );
}

#[test]
fn missing_keys_are_reported() {
    let message = error_after(|m| {
        m["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("protocol")
            .map(drop)
            .unwrap()
    });
    assert_mentions(&message, &["metadata.protocol", "missing key `protocol`"]);
    let message = error_after(|m| {
        m["shapes"]["IdList"]
            .as_object_mut()
            .unwrap()
            .remove("member")
            .map(drop)
            .unwrap()
    });
    assert_mentions(
        &message,
        &["shapes.IdList.member", "list shape has no `member`"],
    );
    let message = error_after(|m| {
        m["shapes"]["Id"]
            .as_object_mut()
            .unwrap()
            .remove("type")
            .map(drop)
            .unwrap()
    });
    assert_mentions(&message, &["shapes.Id", "missing field `type`"]);
}

#[test]
fn dangling_shape_references_are_reported() {
    let message =
        error_after(|m| m["shapes"]["GetResponse"]["members"]["Items"]["shape"] = "Missing".into());
    assert_mentions(
        &message,
        &[
            "shapes.GetResponse.members.Items.shape",
            "shape `Missing` is not defined",
        ],
    );
    let message = error_after(|m| m["operations"]["Get"]["output"]["shape"] = "Nope".into());
    assert_mentions(
        &message,
        &["operations.Get.output.shape", "`Nope` is not defined"],
    );
    let message =
        error_after(|m| m["operations"]["Get"]["errors"] = serde_json::json!([{"shape": "Id"}]));
    assert_mentions(
        &message,
        &[
            "operations.Get.errors[0].shape",
            "error shape `Id` is not a structure",
        ],
    );
}

#[test]
fn cycles_through_required_members_are_rejected() {
    let message = error_after(|m| {
        m["shapes"]["A"] = serde_json::json!({"type": "structure", "required": ["B"], "members": {"B": {"shape": "B"}}});
        m["shapes"]["B"] = serde_json::json!({"type": "structure", "required": ["A"], "members": {"A": {"shape": "A"}}});
    });
    assert_mentions(
        &message,
        &["shapes.A.required", "no finite value can be built"],
    );
    // The same cycle through an optional member is fine: it is boxed.
    let mut model: serde_json::Value = serde_json::from_str(VALID).unwrap();
    model["shapes"]["A"] =
        serde_json::json!({"type": "structure", "members": {"B": {"shape": "B"}}});
    model["shapes"]["B"] = serde_json::json!({"type": "structure", "required": ["A"], "members": {"A": {"shape": "A"}}});
    generate(&model.to_string()).unwrap();
}

#[test]
fn lists_that_contain_themselves_are_rejected() {
    let message = error_after(|m| m["shapes"]["IdList"]["member"]["shape"] = "IdList".into());
    assert_mentions(
        &message,
        &[
            "shapes.GetResponse.members.Items",
            "contains itself through lists or maps only",
        ],
    );
}

#[test]
fn http_binding_mistakes_are_reported() {
    let message =
        error_after(|m| m["operations"]["Get"]["http"]["requestUri"] = "/items/{Other}".into());
    assert_mentions(
        &message,
        &[
            "operations.Get.http.requestUri",
            "label `{Other}` is bound by 0 input members",
        ],
    );
    let message =
        error_after(|m| m["operations"]["Get"]["http"]["requestUri"] = "/items/{Id".into());
    assert_mentions(&message, &["operations.Get.http.requestUri", "unclosed"]);
    let message = error_after(|m| m["operations"]["Get"]["http"]["requestUri"] = "/items".into());
    assert_mentions(
        &message,
        &[
            "shapes.GetRequest.members.Id.locationName",
            "has no `{Id}` label",
        ],
    );
    let message =
        error_after(|m| m["shapes"]["GetRequest"]["members"]["Id"]["location"] = "body".into());
    assert_mentions(
        &message,
        &[
            "shapes.GetRequest.members.Id.location",
            "unknown location `body`",
        ],
    );
    let message = error_after(|m| m["operations"]["Get"]["http"]["method"] = "FETCH".into());
    assert_mentions(
        &message,
        &["operations.Get.http.method", "unknown HTTP method `FETCH`"],
    );
}

#[test]
fn inconsistent_shapes_are_reported() {
    let message =
        error_after(|m| m["shapes"]["GetRequest"]["required"] = serde_json::json!(["Id", "Ghost"]));
    assert_mentions(
        &message,
        &["shapes.GetRequest.required", "`Ghost` is not a member"],
    );
    let message = error_after(|m| m["shapes"]["GetResponse"]["payload"] = "Ghost".into());
    assert_mentions(
        &message,
        &["shapes.GetResponse.payload", "payload member `Ghost`"],
    );
    let message = error_after(|m| m["shapes"]["Id"]["timestampFormat"] = "rfc3339".into());
    assert_mentions(
        &message,
        &[
            "shapes.Id.timestampFormat",
            "unknown timestamp format `rfc3339`",
        ],
    );
    let message = error_after(|m| m["shapes"]["IdList"]["enum"] = serde_json::json!(["a"]));
    assert_mentions(
        &message,
        &["shapes.IdList.enum", "only allowed on string shapes"],
    );
    let text = VALID.replace(
        r#""Items": {"shape": "IdList"}"#,
        r#""Items": {"shape": "IdList"}, "Items": {"shape": "Id"}"#,
    );
    let message = generate(&text).unwrap_err();
    assert_mentions(
        &message,
        &["shapes.GetResponse.members", "duplicate key `Items`"],
    );
}

#[test]
fn duplicate_shapes_and_operations_are_rejected() {
    let text = VALID.replace(
        r#""Id": {"type": "string"}"#,
        r#""Id": {"type": "string"}, "Id": {"type": "integer"}"#,
    );
    let message = generate(&text).unwrap_err();
    assert_mentions(&message, &["at `shapes`", "duplicate key `Id`"]);
    let text = VALID.replace(
        r#""operations": {"#,
        r#""operations": {"Get": {"name": "Get", "http": {"method": "GET", "requestUri": "/"}},"#,
    );
    let message = generate(&text).unwrap_err();
    assert_mentions(&message, &["at `operations`", "duplicate key `Get`"]);
}

#[test]
fn enums_without_values_are_rejected() {
    let message = error_after(|m| m["shapes"]["Id"]["enum"] = serde_json::json!([]));
    assert_mentions(&message, &["shapes.Id.enum", "lists no values"]);
}

#[test]
fn unsupported_constructs_are_named_with_their_place() {
    let message = error_after(|m| m["metadata"]["protocol"] = "rest-xml".into());
    assert_mentions(
        &message,
        &[
            "unsupported construct at `metadata.protocol`",
            "the `rest-xml` protocol",
        ],
    );
    // Event streams are no longer an error: their operations are left out with a note
    // (`codegen/src/ir/event_streams.rs` tests, the pagination fixture).
    let message = error_after(|m| m["shapes"]["Id"]["type"] = "bigInteger".into());
    assert_mentions(
        &message,
        &["unsupported construct at `shapes.Id.type`", "BigInteger"],
    );
}

#[test]
fn unknown_keys_are_warnings_not_errors() {
    let mut model: serde_json::Value = serde_json::from_str(VALID).unwrap();
    model["shapes"]["Id"]["colour"] = "blue".into();
    model["metadata"]["newThing"] = true.into();
    let generated = generate(&model.to_string()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "service-2.json: unknown key `metadata.newThing` ignored".to_owned(),
            "service-2.json: unknown key `shapes.Id.colour` ignored".to_owned(),
        ]
    );
}

#[test]
fn host_prefix_labels_must_be_host_label_members() {
    let message = error_after(|m| {
        m["operations"]["Get"]["endpoint"] = serde_json::json!({"hostPrefix": "{Id}."});
    });
    assert_mentions(
        &message,
        &[
            "operations.Get.endpoint.hostPrefix",
            "`{Id}` is not a `hostLabel` member",
        ],
    );
    let message = error_after(|m| {
        m["operations"]["Get"]["endpoint"] = serde_json::json!({"hostPrefix": "{Missing}-x."});
    });
    assert_mentions(&message, &["`{Missing}` is not a `hostLabel` member"]);
    let mut model: serde_json::Value = serde_json::from_str(VALID).unwrap();
    model["operations"]["Get"]["endpoint"] = serde_json::json!({"hostPrefix": "{Id}."});
    model["shapes"]["GetRequest"]["members"]["Id"]["hostLabel"] = serde_json::json!(true);
    generate(&model.to_string()).expect("a hostLabel member fills the label");
}
