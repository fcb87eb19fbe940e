//! The expression compiler against the `waiters` fixture's shapes: every supported form,
//! and the messages for unsupported and malformed expressions.

use std::collections::BTreeMap;

use super::*;
use crate::ir::Shape;

const SERVICE: &str = include_str!("../../../../../tests/fixtures/waiters/service-2.json");

fn shapes() -> BTreeMap<String, Shape> {
    let files = crate::ModelFiles::from_service_json("fixtures/waiters", SERVICE);
    crate::lower(&files).expect("the fixture lowers").0.shapes
}

fn table(text: &str) -> Result<Expr, ExprError> {
    compile(text, Some("DescribeTableResponse"), &shapes())
}

fn job(text: &str) -> Result<Expr, ExprError> {
    compile(text, Some("GetJobResponse"), &shapes())
}

fn member(name: &str, field: &str) -> Step {
    Step::Member {
        name: name.to_owned(),
        field: field.to_owned(),
        optional: true,
        boxed: false,
    }
}

fn path_of(expr: Expr) -> Path {
    match expr {
        Expr::Path(path) => path,
        other => panic!("not a path: {other:?}"),
    }
}

#[test]
fn dotted_paths_are_typed_with_rust_fields() {
    let path = path_of(table("Table.TableStatus").unwrap());
    assert_eq!(
        path.steps,
        [
            member("Table", "table"),
            member("TableStatus", "table_status")
        ]
    );
    assert_eq!(path.value, ValueType::Enum);
    assert!(!path.is_list());
    assert_eq!(
        path_of(table("Table.Archived").unwrap()).value,
        ValueType::Boolean
    );
    assert_eq!(
        path_of(table("Table.ItemCount").unwrap()).value,
        ValueType::Integer
    );
    assert_eq!(path_of(job("status").unwrap()).value, ValueType::String);
    // JMESPath quoted identifiers name members too.
    assert_eq!(
        path_of(table("\"Table\".TableName").unwrap()).value,
        ValueType::String
    );
}

#[test]
fn flatten_projections() {
    let path = path_of(table("Table.Replicas[].Status").unwrap());
    assert!(path.is_list());
    assert_eq!(
        path.steps,
        [
            member("Table", "table"),
            member("Replicas", "replicas"),
            Step::Each { sparse: false },
            member("Status", "status"),
        ]
    );
    assert_eq!(path.value, ValueType::Enum);
    let nested = path_of(job("tasks[].steps[].state").unwrap());
    assert_eq!(
        nested.steps,
        [
            member("tasks", "tasks"),
            Step::Each { sparse: false },
            member("steps", "steps"),
            Step::Each { sparse: false },
            member("state", "state"),
        ]
    );
    assert_eq!(nested.value, ValueType::String);
    // Flattening a projection of non-lists changes nothing.
    let same = path_of(job("tasks[].name[]").unwrap());
    assert_eq!(same.steps.len(), 3);
}

#[test]
fn length_comparisons_and_boolean_operators() {
    let expr = table("length(Table.Replicas[]) == `0`").unwrap();
    assert!(expr.is_boolean());
    let Expr::Compare { left, op, right } = expr else {
        panic!("a comparison");
    };
    assert!(matches!(left, Operand::Length(p) if p.is_list()));
    assert_eq!(op, CompareOp::Eq);
    assert_eq!(right, Literal::Integer(0));
    // A literal on the left is moved to the right, flipping the operator.
    let Expr::Compare { op, .. } = job("`1` < length(regions)").unwrap() else {
        panic!("a comparison");
    };
    assert_eq!(op, CompareOp::Gt);
    let expr = job("status != 'RUNNING' && status != 'PENDING' || (status == `\"DONE\"`)").unwrap();
    let Expr::Or(and, done) = expr else {
        panic!("|| binds loosest: {expr:?}");
    };
    assert!(matches!(*and, Expr::And(..)));
    assert!(matches!(
        *done,
        Expr::Compare { op: CompareOp::Eq, right: Literal::String(ref s), .. } if s == "DONE"
    ));
    assert!(table("Table.ItemCount >= `10`").unwrap().is_boolean());
    assert!(table("Table.Archived == `true`").unwrap().is_boolean());
    assert!(job("length(status) > `3`").is_ok());
    assert!(job("'it''s' == status").is_err());
    assert!(job("status == 'it\\'s'").is_ok());
}

fn message(result: Result<Expr, ExprError>) -> (bool, String) {
    let error = result.expect_err("the expression is rejected");
    (error.unsupported, error.message)
}

#[test]
fn members_that_do_not_exist_are_named() {
    assert_eq!(
        message(table("Table.Nope")),
        (
            false,
            "`Nope` is not a member of `TableDescription` (the shape of `Table`)".to_owned()
        )
    );
    assert_eq!(
        message(table("table")),
        (
            false,
            "`table` is not a member of `DescribeTableResponse`".to_owned()
        )
    );
    assert_eq!(
        message(compile("Table", None, &shapes())),
        (false, "the operation has no output".to_owned())
    );
}

#[test]
fn unsupported_constructs_are_named() {
    let cases = [
        (
            "contains(Table.Replicas[].Status, 'FAILED')",
            "the JMESPath function `contains()`",
        ),
        (
            "Table.Replicas[0].Status",
            "`[` (filters, indexes and multi-selects)",
        ),
        (
            "Table.Replicas[?Status == 'A']",
            "`[` (filters, indexes and multi-selects)",
        ),
        (
            "Table.Replicas.Status",
            "`.Status` on `Table.Replicas`, a list rather than a structure",
        ),
        (
            "Table.TableStatus == Table.TableName",
            "a comparison without a literal on one side",
        ),
        (
            "Table.Replicas[].Status == 'A'",
            "a comparison of a projection (a list) with a literal",
        ),
        ("Table.TableStatus < 'A'", "`<` on an enum"),
        (
            "Table.TableName && Table.Archived",
            "an operand of `&&` that is not a boolean",
        ),
        ("`1.5` == Table.ItemCount", "the non-integer literal `1.5`"),
        (
            "length(Table.Replicas)",
            "`length()` outside a comparison with a number",
        ),
        ("!Table.Archived", "`!`"),
        ("Table | TableName", "`|` after a complete expression"),
        (
            "'x'",
            "a literal on its own (it does not depend on the output)",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(message(table(text)), (true, expected.to_owned()), "{text}");
    }
}

#[test]
fn malformed_expressions_are_explained() {
    let cases = [
        (
            "Table.TableStatus == `1`",
            "an enum is compared with the number 1, which it can never equal",
        ),
        ("length(Table.TableStatus) == `1`", "`length()` of an enum"),
        (
            "length(Table.Replicas) == 'a'",
            "a length is compared with the string 'a'",
        ),
        (
            "Table.TableStatus[]",
            "`[]` on `Table.TableStatus`, an enum rather than a list",
        ),
        ("Table.TableStatus == 'A", "unterminated '-quoted text"),
        ("Table.TableStatus ==", "the expression ends too early"),
        ("Table.", "the expression ends with `.`"),
        ("(Table.Archived", "missing `)`"),
        ("Table.TableStatus == `{`", "`{` is not a JSON literal"),
    ];
    for (text, expected) in cases {
        assert_eq!(message(table(text)), (false, expected.to_owned()), "{text}");
    }
}
