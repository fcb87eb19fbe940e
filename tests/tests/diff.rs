//! `cargo xtask diff`: every kind of model change is classified by its semver impact, wire
//! effect and constraint direction; identical models and documentation-only edits are
//! reported as such; a realistic Cognito Sync update is snapshotted as the reviewer sees it.

use botogen_codegen::ModelFiles;
use botogen_codegen::diff::{self, Change, Constraint, Impact, Kind, ModelDiff, Scope};
use botogen_tests::repo_root;
use serde_json::{Value, json};

/// A small model each test edits into an "after" version.
fn base() -> Value {
    json!({
      "version": "2.0",
      "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "svc", "protocol": "rest-json",
                   "serviceId": "Svc", "serviceFullName": "Fixture Service", "signatureVersion": "v4"},
      "operations": {
        "GetThing": {"name": "GetThing", "http": {"method": "GET", "requestUri": "/things/{Id}"},
                     "input": {"shape": "GetThingRequest"}, "output": {"shape": "GetThingResponse"},
                     "errors": [{"shape": "NotFound"}], "documentation": "<p>Gets a thing.</p>"},
        "PutThing": {"name": "PutThing", "http": {"method": "PUT", "requestUri": "/things"},
                     "input": {"shape": "PutThingRequest"}}
      },
      "shapes": {
        "GetThingRequest": {"type": "structure", "required": ["Id"],
            "members": {"Id": {"shape": "Id", "location": "uri", "locationName": "Id"},
                        "Verbose": {"shape": "Flag", "location": "querystring", "locationName": "verbose"}}},
        "GetThingResponse": {"type": "structure",
            "members": {"Thing": {"shape": "Thing"}, "Colour": {"shape": "Colour"}, "When": {"shape": "When"}}},
        "PutThingRequest": {"type": "structure", "required": ["Name"],
            "members": {"Name": {"shape": "Name"}, "Note": {"shape": "Name"}, "Choice": {"shape": "Choice"}}},
        "Thing": {"type": "structure", "members": {"Name": {"shape": "Name"}, "Size": {"shape": "Size"}}},
        "Choice": {"type": "structure", "union": true, "members": {"A": {"shape": "Name"}}},
        "NotFound": {"type": "structure", "members": {"message": {"shape": "Name"}},
                     "error": {"httpStatusCode": 404}, "exception": true},
        "Id": {"type": "string"},
        "Name": {"type": "string", "min": 1, "max": 64},
        "Flag": {"type": "boolean"},
        "Size": {"type": "integer"},
        "When": {"type": "timestamp"},
        "Colour": {"type": "string", "enum": ["red", "green"]}
      }
    })
}

fn files(model: &Value) -> ModelFiles {
    ModelFiles::from_service_json("test/model", &model.to_string())
}

fn compare(edit: impl FnOnce(&mut Value)) -> ModelDiff {
    let old = base();
    let mut new = base();
    edit(&mut new);
    diff::compare(&files(&old), &files(&new)).unwrap_or_else(|e| panic!("{e}"))
}

/// The single change a one-edit model pair must produce.
fn only(diff: &ModelDiff) -> &Change {
    assert_eq!(
        diff.changes.len(),
        1,
        "expected one change, got {:#?}",
        diff.changes
    );
    &diff.changes[0]
}

#[test]
fn a_model_compared_with_itself_reports_nothing() {
    let d = compare(|_| {});
    assert!(d.is_empty(), "{:#?}", d.changes);
    assert_eq!(d.impact(), Impact::None);
    let cognito =
        ModelFiles::read_dir(&repo_root().join("models/cognito-sync/2014-06-30")).unwrap();
    assert!(diff::compare(&cognito, &cognito).unwrap().is_empty());
}

#[test]
fn documentation_only_edits_are_reported_as_such() {
    let d = compare(|m| {
        m["operations"]["GetThing"]["documentation"] = "<p>Gets one thing.</p>".into();
        m["shapes"]["Thing"]["documentation"] = "<p>A thing.</p>".into();
        m["shapes"]["Thing"]["members"]["Name"]["documentation"] = "<p>Its name.</p>".into();
    });
    assert_eq!(d.changes.len(), 3, "{:#?}", d.changes);
    assert!(
        d.changes
            .iter()
            .all(|c| c.kind == Kind::Documentation && c.impact == Impact::None && c.wire.is_none())
    );
    assert_eq!(d.semver_bump("0.1.0").part, "patch");
    assert!(d.updated_operations.is_empty());
    assert!(
        diff::report::changelog(&d, "2026/11/22").contains("documentation and metadata updates")
    );
}

#[test]
fn operations_added_and_removed() {
    let d = compare(|m| {
        m["operations"]["ListThings"] =
            json!({"name": "ListThings", "http": {"method": "GET", "requestUri": "/things"}});
    });
    let c = only(&d);
    assert_eq!((c.kind, c.impact), (Kind::Added, Impact::Additive));
    assert!(
        c.rust
            .as_deref()
            .unwrap()
            .contains("operation::list_things")
    );
    assert_eq!(d.added_operations, ["ListThings"]);
    assert_eq!(d.semver_bump("0.1.0").next.as_deref(), Some("0.1.1"));

    let d = compare(|m| {
        m["operations"].as_object_mut().unwrap().remove("PutThing");
    });
    assert!(d.changes.iter().any(|c| c.kind == Kind::Removed
        && c.impact == Impact::Breaking
        && c.scope == Scope::Operation("PutThing".into())));
    assert_eq!(d.removed_operations, ["PutThing"]);
    assert_eq!(d.semver_bump("1.2.3").next.as_deref(), Some("2.0.0"));
}

#[test]
fn http_binding_changes_affect_the_wire_not_the_api() {
    let d = compare(|m| m["operations"]["PutThing"]["http"]["method"] = "POST".into());
    let c = only(&d);
    assert_eq!((c.kind, c.impact), (Kind::Changed, Impact::None));
    assert!(c.wire.is_some() && c.what.contains("PUT /things") && c.what.contains("POST /things"));
    assert_eq!(d.updated_operations, ["PutThing"]);

    let d = compare(|m| {
        m["shapes"]["GetThingRequest"]["members"]["Verbose"]["locationName"] = "detail".into()
    });
    let c = only(&d);
    assert_eq!(c.impact, Impact::None);
    assert!(
        c.what
            .contains("query parameter `verbose` -> query parameter `detail`"),
        "{}",
        c.what
    );
    assert!(c.wire.is_some());

    let d = compare(|m| m["shapes"]["When"]["timestampFormat"] = "iso8601".into());
    assert!(d.changes.iter().any(|c| c.what.contains("timestamp format")
        && c.wire.is_some()
        && c.impact == Impact::None));
}

#[test]
fn members_added_removed_and_retyped() {
    let d = compare(|m| m["shapes"]["Thing"]["members"]["Tags"] = json!({"shape": "Name"}));
    let c = only(&d);
    assert_eq!((c.kind, c.impact), (Kind::Added, Impact::Additive));
    assert!(c.rust.as_deref().unwrap().contains("types::Thing::tags"));

    let d = compare(|m| {
        m["shapes"]["PutThingRequest"]["members"]["Owner"] = json!({"shape": "Name"});
        m["shapes"]["PutThingRequest"]["required"] = json!(["Name", "Owner"]);
    });
    let c = only(&d);
    assert_eq!(
        (c.kind, c.impact),
        (Kind::Added, Impact::Breaking),
        "a required input member breaks builders"
    );

    let d = compare(|m| {
        m["shapes"]["Thing"]["members"]
            .as_object_mut()
            .unwrap()
            .remove("Size");
    });
    assert_eq!(
        (only(&d).kind, only(&d).impact),
        (Kind::Removed, Impact::Breaking)
    );

    let d = compare(|m| m["shapes"]["Thing"]["members"]["Size"]["shape"] = "Name".into());
    let c = d.changes.iter().find(|c| c.kind == Kind::Changed).unwrap();
    assert_eq!(c.impact, Impact::Breaking);
    // The new target's bounds come along, reported as constraint changes of the member.
    assert_eq!(
        d.changes
            .iter()
            .filter(|c| c.kind == Kind::Constraint)
            .count(),
        2
    );
    assert!(
        c.rust
            .as_deref()
            .unwrap()
            .contains("Option<Integer>` -> `Option<String>"),
        "{:?}",
        c.rust
    );

    let d = compare(|m| m["shapes"]["PutThingRequest"]["required"] = json!(["Name", "Note"]));
    let c = only(&d);
    assert_eq!(
        c.impact,
        Impact::Breaking,
        "optional -> required changes the field type"
    );
    assert!(c.what.contains("now required"));

    // `required` on a structure only read from responses is not enforced: no API change.
    let d = compare(|m| m["shapes"]["Thing"]["required"] = json!(["Name"]));
    assert_eq!(only(&d).impact, Impact::None);
}

#[test]
fn errors_added_removed_and_recoded() {
    let d = compare(|m| {
        m["shapes"]["Throttled"] = json!({"type": "structure", "members": {}, "exception": true, "error": {"httpStatusCode": 429}});
        m["operations"]["GetThing"]["errors"] =
            json!([{"shape": "NotFound"}, {"shape": "Throttled"}]);
    });
    let added = d
        .changes
        .iter()
        .find(|c| c.scope == Scope::Operation("GetThing".into()))
        .unwrap();
    assert_eq!((added.kind, added.impact), (Kind::Added, Impact::Additive));
    assert!(
        added
            .wire
            .as_deref()
            .unwrap()
            .contains("instead of `Unhandled`")
    );

    let d = compare(|m| m["operations"]["GetThing"]["errors"] = json!([]));
    let c = only(&d);
    assert_eq!((c.kind, c.impact), (Kind::Removed, Impact::Breaking));

    let d = compare(|m| m["shapes"]["NotFound"]["error"]["code"] = json!("NotFoundError"));
    let c = only(&d);
    assert!(
        c.what.contains("`NotFound` -> `NotFoundError`")
            && c.wire.is_some()
            && c.impact == Impact::None,
        "{c:?}"
    );
}

#[test]
fn enum_values_added_and_removed() {
    let d = compare(|m| m["shapes"]["Colour"]["enum"] = json!(["red", "green", "blue"]));
    let c = only(&d);
    assert_eq!(
        (c.kind, c.impact, c.constraint),
        (Kind::Added, Impact::Additive, Some(Constraint::Relaxed))
    );
    assert!(
        c.wire
            .as_deref()
            .unwrap()
            .contains("`blue` was read as `Unknown`")
    );
    let d = compare(|m| m["shapes"]["Colour"]["enum"] = json!(["red"]));
    let c = only(&d);
    assert_eq!(
        (c.kind, c.impact, c.constraint),
        (Kind::Removed, Impact::Breaking, Some(Constraint::Tightened))
    );
}

#[test]
fn union_members_added_are_additive() {
    let d = compare(|m| m["shapes"]["Choice"]["members"]["B"] = json!({"shape": "Size"}));
    let c = only(&d);
    assert_eq!((c.kind, c.impact), (Kind::Added, Impact::Additive));
    assert!(
        c.rust
            .as_deref()
            .unwrap()
            .contains("new variant `types::Choice::B`")
    );
}

#[test]
fn constraints_are_tightened_or_relaxed() {
    let cases: [(&str, Value, Constraint); 5] = [
        ("min", json!(2), Constraint::Tightened),
        ("min", json!(0), Constraint::Relaxed),
        ("max", json!(32), Constraint::Tightened),
        ("max", json!(128), Constraint::Relaxed),
        ("pattern", json!("^[a-z]+$"), Constraint::Tightened),
    ];
    for (key, value, expected) in cases {
        let d = compare(|m| m["shapes"]["Name"][key] = value.clone());
        let c = only(&d);
        assert_eq!(
            (c.kind, c.impact, c.constraint),
            (Kind::Constraint, Impact::None, Some(expected)),
            "{key} = {value}"
        );
        assert_eq!(
            c.scope,
            Scope::Shape("Name".into()),
            "reported once, on the shape"
        );
    }
}

#[test]
fn deprecations_and_metadata() {
    let d = compare(|m| {
        m["shapes"]["Thing"]["members"]["Size"]["deprecated"] = true.into();
        m["operations"]["PutThing"]["deprecated"] = true.into();
    });
    assert_eq!(d.changes.len(), 2);
    assert!(
        d.changes
            .iter()
            .all(|c| c.kind == Kind::Deprecation && c.impact == Impact::None)
    );

    let d = compare(|m| m["metadata"]["signingName"] = "svc-signing".into());
    let c = only(&d);
    assert_eq!((c.kind, c.impact), (Kind::Metadata, Impact::None));
    assert!(c.wire.is_some());
    let d = compare(|m| m["metadata"]["serviceId"] = "Svc Two".into());
    assert_eq!(only(&d).impact, Impact::Breaking);
}

#[test]
fn a_shape_becoming_readable_from_responses_is_breaking() {
    // The semver hazard: an input-only structure that an output starts to use gets optional
    // fields, so its required members change type.
    let d = compare(|m| {
        m["shapes"]["GetThingResponse"]["members"]["Last"] = json!({"shape": "PutThingRequest"})
    });
    assert!(
        d.changes.iter().any(|c| c.impact == Impact::Breaking
            && c.rust
                .as_deref()
                .is_some_and(|r| r.contains("types::PutThingRequest::name"))),
        "{:#?}",
        d.changes
    );
}

#[test]
fn cognito_sync_update_report_snapshot() {
    let old = ModelFiles::read_dir(&repo_root().join("models/cognito-sync/2014-06-30")).unwrap();
    let new = ModelFiles::read_dir(&repo_root().join("tests/diff/cognito-sync-update")).unwrap();
    let d = diff::compare(&old, &new).unwrap();
    let old_files = botogen_codegen::generate(&old, None).unwrap().files;
    let new_files = botogen_codegen::generate(&new, None).unwrap().files;
    let stats = diff::files::stat(&old_files, &new_files);
    let report = diff::report::markdown(
        &d,
        "models/cognito-sync/2014-06-30",
        "tests/diff/cognito-sync-update",
        "0.1.0",
        "2026/11/22",
        Some(&stats),
    );
    assert_eq!(d.impact(), Impact::Breaking);
    insta::assert_snapshot!("cognito_sync_update_report", report);
}

#[test]
fn the_xtask_fails_on_breaking_changes_and_names_bad_sides() {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let old = repo_root().join("models/cognito-sync/2014-06-30");
    let new = repo_root().join("tests/diff/cognito-sync-update");
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    xtask::run(&args(&["diff", old, new, "--date", "2026/11/22"])).unwrap();
    xtask::run(&args(&["diff", old, old, "--fail-on", "breaking"])).unwrap();
    let err = xtask::run(&args(&["diff", old, new, "--fail-on", "breaking"])).unwrap_err();
    assert!(err.contains("breaking"), "{err}");
    let err = xtask::run(&args(&["diff", "/no/such/model", new])).unwrap_err();
    assert!(
        err.contains("/no/such/model") && err.contains("not a model file"),
        "{err}"
    );
    let broken = std::env::temp_dir().join("botogen-diff-broken.json");
    std::fs::write(&broken, "{\"version\": ").unwrap();
    let err = xtask::run(&args(&["diff", broken.to_str().unwrap(), new])).unwrap_err();
    assert!(
        err.contains("service-2.json") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn the_json_form_carries_every_field() {
    let d = compare(|m| m["shapes"]["Colour"]["enum"] = json!(["red"]));
    let value = serde_json::to_value(&d).unwrap();
    let change = &value["changes"][0];
    assert_eq!(change["scope"], "shape");
    assert_eq!(change["name"], "Colour");
    assert_eq!(change["kind"], "removed");
    assert_eq!(change["impact"], "breaking");
    assert_eq!(change["constraint"], "tightened");
    assert!(
        change["rust"]
            .as_str()
            .unwrap()
            .contains("types::Colour::Green")
    );
    assert!(change["wire"].as_str().unwrap().contains("Unknown"));
}

#[test]
fn git_revisions_are_sides_too() {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // HEAD's model against the working tree's (the default), and explicitly.
    xtask::run(&args(&["diff", "--json"])).unwrap();
    xtask::run(&args(&["diff", "HEAD", "HEAD"])).unwrap();
    let err = xtask::run(&args(&["diff", "no-such-revision-xyz"])).unwrap_err();
    assert!(err.contains("no-such-revision-xyz"), "{err}");
}
