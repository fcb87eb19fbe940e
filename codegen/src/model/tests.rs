//! Parsing the real Cognito Sync model and the format's edge cases.

use super::*;

const COGNITO: &str = include_str!("../../../models/cognito-sync/2014-06-30/service-2.json");

#[test]
fn parses_the_cognito_sync_model_without_warnings() {
    let (model, warnings) = parse_service("service-2.json", COGNITO).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(model.operations.len(), 17);
    assert_eq!(model.shapes.len(), 85);
    assert_eq!(model.metadata.protocol.as_deref(), Some("rest-json"));
    assert_eq!(model.metadata.service_id.as_deref(), Some("Cognito Sync"));
    let list_records = &model.operations["ListRecords"];
    assert_eq!(list_records.http.method, "GET");
    assert_eq!(list_records.http.response_code, Some(200));
    assert_eq!(list_records.errors.len(), 4);
}

#[test]
fn members_keep_model_order() {
    let (model, _) = parse_service("service-2.json", COGNITO).unwrap();
    let names: Vec<&str> = model.shapes["RecordPatch"]
        .members
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Op", "Key", "Value", "SyncCount", "DeviceLastModifiedDate"]
    );
    let max_results = model.shapes["ListRecordsRequest"]
        .members
        .get("MaxResults")
        .unwrap();
    assert_eq!(max_results.location.as_deref(), Some("querystring"));
    assert_eq!(max_results.location_name.as_deref(), Some("maxResults"));
}

#[test]
fn every_documented_key_is_understood() {
    let text = r#"{
      "version": "2.0",
      "metadata": {"protocol": "rest-json", "apiVersion": "1", "endpointPrefix": "x",
                   "signingName": "y", "auth": ["aws.auth#sigv4"], "protocolSettings": {"h2": "optional"}},
      "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/", "responseCode": 201},
        "input": {"shape": "S"}, "errors": [{"shape": "E"}], "endpoint": {"hostPrefix": "{Label}."},
        "httpChecksum": {"requestChecksumRequired": true, "requestAlgorithmMember": "A"},
        "authtype": "v4-unsigned-body", "auth": ["smithy.api#noAuth"], "idempotent": true,
        "deprecated": true, "deprecatedMessage": "old", "staticContextParams": {"P": {"value": true}},
        "requestcompression": {"encodings": ["gzip"]}, "unsignedPayload": true}},
      "shapes": {
        "S": {"type": "structure", "required": ["Label"], "payload": "Body", "members": {
          "Label": {"shape": "Str", "hostLabel": true, "contextParam": {"name": "L"}},
          "Body": {"shape": "B", "streaming": true},
          "Tok": {"shape": "Str", "idempotencyToken": true, "location": "header", "locationName": "x-t"},
          "J": {"shape": "Str", "jsonvalue": true, "deprecated": true, "deprecatedMessage": "m"},
          "T": {"shape": "Time", "timestampFormat": "iso8601"}}},
        "E": {"type": "structure", "members": {}, "exception": true, "fault": true,
              "error": {"code": "Boom", "httpStatusCode": 503, "senderFault": false},
              "retryable": {"throttling": false}},
        "Str": {"type": "string", "min": 1, "max": 9223372036854775807, "pattern": "^a$", "sensitive": true},
        "B": {"type": "blob", "streaming": true, "requiresLength": true},
        "Time": {"type": "timestamp", "timestampFormat": "unixTimestamp"},
        "U": {"type": "structure", "union": true, "members": {"A": {"shape": "Str"}}},
        "D": {"type": "structure", "document": true, "members": {}},
        "L": {"type": "list", "member": {"shape": "Str"}, "sparse": true, "min": 0},
        "M": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}}
      }
    }"#;
    let (model, warnings) = parse_service("service-2.json", text).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let op = &model.operations["Op"];
    assert_eq!(op.endpoint.as_ref().unwrap().host_prefix, "{Label}.");
    assert_eq!(
        op.http_checksum.as_ref().unwrap().request_checksum_required,
        Some(true)
    );
    let error = model.shapes["E"].error.as_ref().unwrap();
    assert_eq!(
        (error.code.as_deref(), error.http_status_code),
        (Some("Boom"), Some(503))
    );
    // Large bounds stay exact.
    assert_eq!(
        model.shapes["Str"].max.as_ref().unwrap().to_string(),
        "9223372036854775807"
    );
}
