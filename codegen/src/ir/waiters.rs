//! Waiters from `waiters-2.json`: which operation each polls, its delays, and its acceptors
//! with their `path` expressions compiled against the operation's output (see [`expr`]).
//!
//! Waiters are sorted by model name. A waiter whose operation the crate leaves out (an
//! event-stream operation, say) is left out too; a waiter naming an operation the model does
//! not have, an expression outside the supported subset, a member the output lacks or an
//! expected value of the wrong kind is an [`Error`] naming
//! `waiters.<Name>.acceptors[i].<key>`.

pub mod expr;

use std::collections::BTreeMap;

pub use expr::{CompareOp, Expr, Literal, Operand, Path, Step, ValueType};

use super::naming::{self, Namespace};
use super::{Operation, Service};
use crate::error::Error;
use crate::model::{
    AcceptorModel, AcceptorStateModel, ExpectedModel, MatcherModel, ServiceModel, WaitersModel,
};

/// The file name used in error messages.
const FILE: &str = "waiters-2.json";

/// A waiter: an operation polled until an acceptor ends the wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiter {
    /// Name in the model, such as `TableExists`.
    pub name: String,
    /// The waiter type, such as `TableExistsWaiter`, defined in the operation's module.
    pub type_name: String,
    /// The `Client` method, such as `wait_until_table_exists`.
    pub method: String,
    /// The operation polled, by model name.
    pub operation: String,
    /// Seconds between polls at least (the model's `delay`).
    pub delay: u64,
    /// botocore's number of polls before giving up (documentation only: the caller bounds
    /// the wait by time).
    pub max_attempts: u64,
    /// The model's description, plain text.
    pub description: Option<String>,
    /// Acceptors in model order.
    pub acceptors: Vec<Acceptor>,
}

impl Waiter {
    /// What a successful wait hands back, from which kinds of results its success acceptors
    /// match.
    pub fn success(&self) -> SuccessKind {
        let success = self
            .acceptors
            .iter()
            .filter(|a| a.state == AcceptorState::Success);
        let (mut outputs, mut errors) = (false, false);
        for acceptor in success {
            match &acceptor.matcher {
                Matcher::Output { .. } | Matcher::All { .. } | Matcher::Any { .. } => {
                    outputs = true;
                }
                Matcher::NoError => outputs = true,
                Matcher::Status(status) if *status < 300 => outputs = true,
                Matcher::Status(_) | Matcher::ErrorCode(_) | Matcher::AnyError => errors = true,
            }
        }
        match (outputs, errors) {
            (true, true) => SuccessKind::Either,
            (false, true) => SuccessKind::Error,
            _ => SuccessKind::Output,
        }
    }
}

/// What ends a wait successfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuccessKind {
    /// Only outputs: the wait returns the output.
    Output,
    /// Only errors (a resource that is gone): the wait returns nothing.
    Error,
    /// Either: the wait returns the output if it ended on one.
    Either,
}

/// One acceptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acceptor {
    /// What a match does.
    pub state: AcceptorState,
    /// What is matched.
    pub matcher: Matcher,
    /// The acceptor as the model states it, such as ``path `status` == "FAILED"``.
    pub description: String,
}

/// What a matching acceptor does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait ends successfully.
    Success,
    /// The wait fails.
    Failure,
    /// The operation is polled again.
    Retry,
}

/// What an acceptor matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// `path`: the expression's value on the output equals `expected`.
    Output {
        /// The compiled expression (a scalar path, or a boolean expression).
        expr: Expr,
        /// The expected value.
        expected: Literal,
    },
    /// `pathAll`: every element of the (non-empty) list equals `expected`.
    All {
        /// A path whose value is a list (a projection, or a list member).
        path: Path,
        /// The expected value of each element.
        expected: Literal,
    },
    /// `pathAny`: some element of the list equals `expected`.
    Any {
        /// A path whose value is a list (a projection, or a list member).
        path: Path,
        /// The expected value of an element.
        expected: Literal,
    },
    /// `status`: the HTTP status.
    Status(u16),
    /// `error` with a code: an error with this code, modelled or not.
    ErrorCode(String),
    /// `error` with `true`: any error from the service.
    AnyError,
    /// `error` with `false`: a successful response.
    NoError,
}

/// Lowers `waiters` against `service` (already lowered from `model`).
///
/// # Errors
///
/// A malformed or unsupported waiter, naming its JSON path (see the module documentation).
pub fn lower(
    service: &Service,
    model: &ServiceModel,
    waiters: &WaitersModel,
) -> Result<Vec<Waiter>, Error> {
    if waiters.version != 2 {
        return Err(Error::malformed(
            FILE,
            "version",
            format!("version {} (only version 2 is known)", waiters.version),
        ));
    }
    let mut types = Namespace::new();
    let mut methods = Namespace::with_reserved(
        ["new", "from_env", "config"]
            .into_iter()
            .chain(service.operations.iter().map(|op| op.snake_name.as_str())),
    );
    let mut lowered = Vec::new();
    for (name, waiter) in &waiters.waiters {
        let path = format!("waiters.{name}");
        let Some(op) = service
            .operations
            .iter()
            .find(|op| op.name == waiter.operation)
        else {
            if model.operations.contains_key(&waiter.operation) {
                // The crate leaves the operation out, and with it its waiters.
                continue;
            }
            return Err(Error::malformed(
                FILE,
                &format!("{path}.operation"),
                format!("no operation `{}` in the service model", waiter.operation),
            ));
        };
        if waiter.acceptors.is_empty() {
            return Err(Error::malformed(
                FILE,
                &format!("{path}.acceptors"),
                "a waiter needs at least one acceptor",
            ));
        }
        let acceptors = waiter
            .acceptors
            .iter()
            .enumerate()
            .map(|(i, a)| acceptor(service, op, a, &format!("{path}.acceptors[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let camel = naming::upper_camel(name);
        lowered.push(Waiter {
            name: name.clone(),
            type_name: types.claim(&format!("{camel}Waiter"), ""),
            method: methods.claim(&format!("wait_until_{}", naming::snake(name)), "_"),
            operation: op.name.clone(),
            delay: waiter.delay,
            max_attempts: waiter.max_attempts,
            description: waiter.description.clone().filter(|d| !d.trim().is_empty()),
            acceptors,
        });
    }
    Ok(lowered)
}

fn acceptor(
    service: &Service,
    op: &Operation,
    model: &AcceptorModel,
    path: &str,
) -> Result<Acceptor, Error> {
    let state = match model.state {
        AcceptorStateModel::Success => AcceptorState::Success,
        AcceptorStateModel::Failure => AcceptorState::Failure,
        AcceptorStateModel::Retry => AcceptorState::Retry,
    };
    let expected_path = format!("{path}.expected");
    let bad_expected = |what: &str| {
        Error::malformed(
            FILE,
            &expected_path,
            format!(
                "the `{}` matcher expects {what}",
                matcher_name(model.matcher)
            ),
        )
    };
    let matcher = match model.matcher {
        MatcherModel::Status => match &model.expected {
            ExpectedModel::Number(n) => n
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| (100..=599).contains(n))
                .map(Matcher::Status)
                .ok_or_else(|| bad_expected("an HTTP status (100 to 599)"))?,
            _ => return Err(bad_expected("an HTTP status (100 to 599)")),
        },
        MatcherModel::Error => match &model.expected {
            ExpectedModel::String(code) if !code.is_empty() => Matcher::ErrorCode(code.clone()),
            ExpectedModel::Bool(true) => Matcher::AnyError,
            ExpectedModel::Bool(false) => Matcher::NoError,
            _ => return Err(bad_expected("an error code or a boolean")),
        },
        MatcherModel::Path | MatcherModel::PathAll | MatcherModel::PathAny => {
            path_matcher(service, op, model, path)?
        }
    };
    Ok(Acceptor {
        state,
        description: describe(model),
        matcher,
    })
}

fn path_matcher(
    service: &Service,
    op: &Operation,
    model: &AcceptorModel,
    path: &str,
) -> Result<Matcher, Error> {
    let argument_path = format!("{path}.argument");
    let Some(argument) = &model.argument else {
        return Err(Error::malformed(
            FILE,
            &argument_path,
            format!(
                "the `{}` matcher needs an argument",
                matcher_name(model.matcher)
            ),
        ));
    };
    let expr = expr::compile(argument, op.output.as_deref(), &service.shapes).map_err(|e| {
        let message = format!("`{argument}`: {}", e.message);
        if e.unsupported {
            Error::unsupported(
                FILE,
                &argument_path,
                format!("the waiter expression {message}"),
            )
        } else {
            Error::malformed(FILE, &argument_path, message)
        }
    })?;
    let expected = match &model.expected {
        ExpectedModel::String(s) => Literal::String(s.clone()),
        ExpectedModel::Bool(b) => Literal::Bool(*b),
        ExpectedModel::Number(n) => Literal::Integer(n.as_i64().ok_or_else(|| {
            Error::unsupported(
                FILE,
                &format!("{path}.expected"),
                "a non-integer expected number",
            )
        })?),
    };
    let mismatch = |what: String| {
        Error::malformed(
            FILE,
            &argument_path,
            format!("`{argument}` is {what}, which never equals the expected {expected:?}"),
        )
    };
    if model.matcher == MatcherModel::Path {
        let fits = match &expr {
            Expr::Path(p) => !p.is_list() && p.value.accepts(&expected),
            other => other.is_boolean() && matches!(expected, Literal::Bool(_)),
        };
        if !fits {
            let what = match &expr {
                Expr::Path(p) if p.is_list() => "a list".to_owned(),
                Expr::Path(p) => p.value.describe().to_owned(),
                _ => "a boolean".to_owned(),
            };
            return Err(mismatch(what));
        }
        return Ok(Matcher::Output { expr, expected });
    }
    let Expr::Path(mut list) = expr else {
        return Err(mismatch("a boolean rather than a list".to_owned()));
    };
    if !list.is_list() {
        // A list member: its elements.
        let Some((sparse, value)) = list_element(service, op, &list) else {
            return Err(mismatch(format!("{}, not a list", list.value.describe())));
        };
        list.steps.push(Step::Each { sparse });
        list.value = value;
    }
    if !list.value.accepts(&expected) {
        return Err(mismatch(format!("a list of {}", list.value.describe())));
    }
    Ok(if model.matcher == MatcherModel::PathAll {
        Matcher::All {
            path: list,
            expected,
        }
    } else {
        Matcher::Any {
            path: list,
            expected,
        }
    })
}

/// For a non-projected path ending on a list member: whether the list is sparse and the
/// type of its elements.
fn list_element(service: &Service, op: &Operation, path: &Path) -> Option<(bool, ValueType)> {
    let mut shape = service.shape(op.output.as_deref()?)?;
    for step in &path.steps {
        let Step::Member { name, .. } = step else {
            return None;
        };
        let super::ShapeKind::Structure(s) = &shape.kind else {
            return None;
        };
        let member = s.members.iter().find(|m| &m.name == name)?;
        shape = service.shape(&member.target)?;
    }
    let super::ShapeKind::List(list) = &shape.kind else {
        return None;
    };
    let element = service.shape(&list.member)?;
    Some((list.sparse, expr::value_type(&element.kind)))
}

fn matcher_name(matcher: MatcherModel) -> &'static str {
    match matcher {
        MatcherModel::Path => "path",
        MatcherModel::PathAll => "pathAll",
        MatcherModel::PathAny => "pathAny",
        MatcherModel::Status => "status",
        MatcherModel::Error => "error",
    }
}

/// ``path `status` == "FAILED"``, ``error `ResourceNotFoundException` ``, `status 404`.
fn describe(model: &AcceptorModel) -> String {
    let expected = match &model.expected {
        ExpectedModel::String(s) => format!("{s:?}"),
        ExpectedModel::Number(n) => n.to_string(),
        ExpectedModel::Bool(b) => b.to_string(),
    };
    match (&model.argument, model.matcher) {
        (Some(argument), MatcherModel::Path | MatcherModel::PathAll | MatcherModel::PathAny) => {
            format!("{} `{argument}` == {expected}", matcher_name(model.matcher))
        }
        _ => format!("{} {expected}", matcher_name(model.matcher)),
    }
}

/// Waiters by operation model name, for the emitters.
pub fn by_operation(waiters: &[Waiter]) -> BTreeMap<&str, Vec<&Waiter>> {
    let mut map: BTreeMap<&str, Vec<&Waiter>> = BTreeMap::new();
    for waiter in waiters {
        map.entry(waiter.operation.as_str())
            .or_default()
            .push(waiter);
    }
    map
}

#[cfg(test)]
mod tests;
