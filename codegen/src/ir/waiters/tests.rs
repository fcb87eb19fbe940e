//! Lowering `waiters-2.json`: the fixture's waiters, and errors that name their JSON path.

use super::*;
use crate::ModelFiles;

const SERVICE: &str = include_str!("../../../../tests/fixtures/waiters/service-2.json");
const WAITERS: &str = include_str!("../../../../tests/fixtures/waiters/waiters-2.json");

fn lower_with(waiters: &str) -> Result<(Service, Vec<crate::model::Warning>), Error> {
    let mut files = ModelFiles::from_service_json("fixtures/waiters", SERVICE);
    files.waiters = Some(waiters.to_owned());
    crate::lower(&files)
}

/// The error for a one-waiter file whose only acceptor is `acceptor`.
fn acceptor_error(operation: &str, acceptor: &str) -> String {
    let text = format!(
        r#"{{"version": 2, "waiters": {{"Ready": {{"operation": "{operation}", "delay": 1,
            "maxAttempts": 2, "acceptors": [{acceptor}]}}}}}}"#
    );
    lower_with(&text)
        .expect_err("the waiter is rejected")
        .to_string()
}

#[test]
fn the_fixture_lowers_sorted_and_named() {
    let (service, warnings) = lower_with(WAITERS).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<(&str, &str, &str)> = service
        .waiters
        .iter()
        .map(|w| (w.name.as_str(), w.type_name.as_str(), w.method.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("JobDone", "JobDoneWaiter", "wait_until_job_done"),
            (
                "ReplicasActive",
                "ReplicasActiveWaiter",
                "wait_until_replicas_active"
            ),
            (
                "TableExists",
                "TableExistsWaiter",
                "wait_until_table_exists"
            ),
            (
                "TableNotExists",
                "TableNotExistsWaiter",
                "wait_until_table_not_exists"
            ),
        ]
    );
    let exists = &service.waiters[2];
    assert_eq!(exists.operation, "DescribeTable");
    assert_eq!((exists.delay, exists.max_attempts), (20, 25));
    assert_eq!(exists.success(), SuccessKind::Output);
    assert_eq!(service.waiters[1].success(), SuccessKind::Either);
    assert_eq!(service.waiters[3].success(), SuccessKind::Error);
    assert_eq!(
        exists.acceptors[3],
        Acceptor {
            state: AcceptorState::Retry,
            matcher: Matcher::ErrorCode("ResourceNotFoundException".to_owned()),
            description: "error \"ResourceNotFoundException\"".to_owned(),
        }
    );
    assert!(matches!(exists.acceptors[1].matcher, Matcher::Any { .. }));
    let job = &service.waiters[0];
    assert_eq!(job.acceptors[5].matcher, Matcher::AnyError);
    assert_eq!(job.acceptors[6].matcher, Matcher::NoError);
    // `pathAny` over a list member gets an `Each` step for the elements.
    let Matcher::Any { path, .. } = &job.acceptors[4].matcher else {
        panic!("pathAny");
    };
    assert_eq!(path.steps.last(), Some(&Step::Each { sparse: false }));
    assert_eq!(path.value, ValueType::String);
}

#[test]
fn no_waiters_file_means_no_waiters() {
    let files = ModelFiles::from_service_json("fixtures/waiters", SERVICE);
    assert!(crate::lower(&files).unwrap().0.waiters.is_empty());
}

#[test]
fn unknown_keys_are_warnings() {
    let text = WAITERS.replacen("\"delay\": 20,", "\"delay\": 20, \"colour\": 1,", 1);
    let (_, warnings) = lower_with(&text).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].file, "waiters-2.json");
    assert_eq!(warnings[0].json_path, "waiters.TableExists.colour");
}

#[test]
fn expression_errors_name_the_argument() {
    let error = acceptor_error(
        "DescribeTable",
        r#"{"state": "success", "matcher": "path", "argument": "Table.Nope", "expected": "x"}"#,
    );
    assert_eq!(
        error,
        "waiters-2.json: malformed model at `waiters.Ready.acceptors[0].argument`: `Table.Nope`: `Nope` is not a member of `TableDescription` (the shape of `Table`)"
    );
    let error = acceptor_error(
        "DescribeTable",
        r#"{"state": "success", "matcher": "path", "argument": "sort_by(Table.Replicas, &Status)", "expected": "x"}"#,
    );
    assert_eq!(
        error,
        "waiters-2.json: unsupported construct at `waiters.Ready.acceptors[0].argument`: the waiter expression `sort_by(Table.Replicas, &Status)`: the JMESPath function `sort_by()` is not supported by this generator yet"
    );
}

#[test]
fn matcher_and_expected_mismatches_name_their_key() {
    let cases = [
        (
            r#"{"state": "success", "matcher": "path", "argument": "Table.TableStatus", "expected": true}"#,
            "`waiters.Ready.acceptors[0].argument`: `Table.TableStatus` is an enum, which never equals the expected Bool(true)",
        ),
        (
            r#"{"state": "success", "matcher": "pathAll", "argument": "Table.TableStatus", "expected": "A"}"#,
            "`waiters.Ready.acceptors[0].argument`: `Table.TableStatus` is an enum, not a list, which never equals the expected String(\"A\")",
        ),
        (
            r#"{"state": "success", "matcher": "path", "argument": "Table.Replicas[].Status", "expected": "A"}"#,
            "`waiters.Ready.acceptors[0].argument`: `Table.Replicas[].Status` is a list, which never equals the expected String(\"A\")",
        ),
        (
            r#"{"state": "success", "matcher": "path", "expected": "A"}"#,
            "`waiters.Ready.acceptors[0].argument`: the `path` matcher needs an argument",
        ),
        (
            r#"{"state": "success", "matcher": "status", "expected": "200"}"#,
            "`waiters.Ready.acceptors[0].expected`: the `status` matcher expects an HTTP status (100 to 599)",
        ),
        (
            r#"{"state": "success", "matcher": "status", "expected": 7000}"#,
            "`waiters.Ready.acceptors[0].expected`: the `status` matcher expects an HTTP status (100 to 599)",
        ),
        (
            r#"{"state": "success", "matcher": "error", "expected": 404}"#,
            "`waiters.Ready.acceptors[0].expected`: the `error` matcher expects an error code or a boolean",
        ),
    ];
    for (acceptor, expected) in cases {
        let error = acceptor_error("DescribeTable", acceptor);
        assert!(error.ends_with(expected), "{error}\nexpected: {expected}");
    }
}

#[test]
fn malformed_files_name_the_json_path() {
    let error = acceptor_error(
        "DescribeTable",
        r#"{"state": "success", "matcher": "regex", "expected": "x"}"#,
    );
    assert!(
        error.starts_with(
            "waiters-2.json: malformed model at `waiters.Ready.acceptors[0].matcher`: unknown variant `regex`"
        ),
        "{error}"
    );
    let error = acceptor_error(
        "DescribeTable",
        r#"{"state": "done", "matcher": "status", "expected": 200}"#,
    );
    assert!(
        error.contains("`waiters.Ready.acceptors[0].state`"),
        "{error}"
    );
    let error = acceptor_error(
        "Nope",
        r#"{"state": "success", "matcher": "status", "expected": 200}"#,
    );
    assert_eq!(
        error,
        "waiters-2.json: malformed model at `waiters.Ready.operation`: no operation `Nope` in the service model"
    );
    let error = lower_with(r#"{"version": 1, "waiters": {}}"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("at `version`: version 1"), "{error}");
    let error = lower_with(r#"{"version": 2, "waiters": {"A": {"operation": "GetJob"}}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("at `waiters.A`: missing field `delay`"),
        "{error}"
    );
    let error = lower_with(
        r#"{"version": 2, "waiters": {"A": {"operation": "GetJob", "delay": 1, "maxAttempts": 1, "acceptors": []}}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("`waiters.A.acceptors`: a waiter needs at least one acceptor"),
        "{error}"
    );
    let waiter = r#"{"operation": "GetJob", "delay": 1, "maxAttempts": 1,
        "acceptors": [{"state": "success", "matcher": "status", "expected": 200}]}"#;
    let error = lower_with(&format!(
        r#"{{"version": 2, "waiters": {{"A": {waiter}, "A": {waiter}}}}}"#
    ))
    .unwrap_err()
    .to_string();
    assert!(error.contains("duplicate key `A`"), "{error}");
}
