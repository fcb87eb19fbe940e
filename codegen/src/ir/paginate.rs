//! Which operations page, and how: from `paginators-1.json` when the model has an entry for
//! the operation, else inferred from the shapes.
//!
//! **Inference rule.** An operation pages when its input has a string member named
//! `NextToken` (any case) and its output has a string member of the same name (any case).
//! The page-size member is the input's integer member named `MaxResults`, `MaxItems`,
//! `Limit` or `PageSize` (any case), if there is one. The items are the output's list
//! member if it has exactly one; with several lists, the one whose name starts with the
//! operation name minus its leading verb (`ListRecords` -> `Records`,
//! `ListIdentityPoolUsage` -> `IdentityPoolUsages`); otherwise the paginator yields pages
//! only.
//!
//! From `paginators-1.json`, entries with one input token and one output token that are
//! plain string member names are used (every rest-json model's entries are of this form);
//! entries with several tokens or dotted token paths are left out (the operation gets no
//! paginator). The limit key may be an integer or a string member. Each result key is a
//! member name or a dotted path through nested structures (`ResourceCollection.Tags`) that
//! must end at a list; a key that does not is left out. With one result key the paginator
//! has `items()`; with several (`ProactiveInsights`, `ReactiveInsights`) it has an
//! `items_<key>()` stream per key.

use std::collections::BTreeMap;

use super::{Member, Operation, RustType, Scalar, Shape, ShapeKind, Structure};
use crate::error::Error;
use crate::model::PaginatorsModel;

/// The file name used in error messages.
const FILE: &str = "paginators-1.json";

/// How an operation pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paginator {
    /// Input member (model name) that carries the token of the page to fetch.
    pub input_token: String,
    /// Output member (model name) that holds the token of the next page.
    pub output_token: String,
    /// Input member (model name) that limits the page size.
    pub limit: Option<String>,
    /// Where the page's items are: per result key, the model names of the members from the
    /// output down to a list (one name for a plain key, several for a dotted one).
    pub items: Vec<Vec<String>>,
    /// Inferred from the shapes rather than read from `paginators-1.json`.
    pub inferred: bool,
}

/// Sets `paginator` on every operation that pages.
///
/// # Errors
///
/// A `paginators-1.json` entry that names an operation or member the model lacks.
pub(super) fn assign(
    operations: &mut [Operation],
    shapes: &BTreeMap<String, Shape>,
    model: Option<&PaginatorsModel>,
) -> Result<(), Error> {
    if let Some(model) = model {
        for name in model.pagination.keys() {
            if !operations.iter().any(|op| &op.name == name) {
                return Err(Error::malformed(
                    FILE,
                    &format!("pagination.{name}"),
                    "no operation of this name in the service model",
                ));
            }
        }
    }
    for op in operations.iter_mut() {
        let input = structure(shapes, op.input.as_deref());
        let output = structure(shapes, op.output.as_deref());
        let (Some(input), Some(output)) = (input, output) else {
            continue;
        };
        op.paginator = match model.and_then(|m| m.pagination.get(&op.name)) {
            Some(entry) => from_model(&op.name, entry, input, output, shapes)?,
            None => infer(&op.name, input, output),
        };
    }
    Ok(())
}

fn structure<'a>(shapes: &'a BTreeMap<String, Shape>, name: Option<&str>) -> Option<&'a Structure> {
    match &shapes.get(name?)?.kind {
        ShapeKind::Structure(s) => Some(s),
        _ => None,
    }
}

fn from_model(
    op: &str,
    entry: &crate::model::PaginatorModel,
    input: &Structure,
    output: &Structure,
    shapes: &BTreeMap<String, Shape>,
) -> Result<Option<Paginator>, Error> {
    let (Some(input_token), Some(output_token)) =
        (entry.input_token.single(), entry.output_token.single())
    else {
        return Ok(None);
    };
    if output_token.contains('.') {
        return Ok(None);
    }
    let path = |key: &str| format!("pagination.{op}.{key}");
    let find = |s: &Structure, name: &str, key: &str| -> Result<(), Error> {
        if s.members.iter().any(|m| m.name == name) {
            Ok(())
        } else {
            Err(Error::malformed(
                FILE,
                &path(key),
                format!("the operation has no member `{name}`"),
            ))
        }
    };
    find(input, input_token, "input_token")?;
    find(output, output_token, "output_token")?;
    if let Some(limit) = &entry.limit_key {
        find(input, limit, "limit_key")?;
    }
    let items = entry
        .result_key
        .as_ref()
        .map(|keys| {
            keys.all()
                .iter()
                .filter_map(|key| list_path(shapes, output, key))
                .collect()
        })
        .unwrap_or_default();
    let limit = entry.limit_key.clone().filter(|l| {
        input
            .members
            .iter()
            .any(|m| &m.name == l && (is_integer(m) || is_string(m)))
    });
    let token_ok =
        |s: &Structure, name: &str| s.members.iter().any(|m| m.name == name && is_string(m));
    if !token_ok(input, input_token) || !token_ok(output, output_token) {
        return Ok(None);
    }
    Ok(Some(Paginator {
        input_token: input_token.to_owned(),
        output_token: output_token.to_owned(),
        limit,
        items,
        inferred: false,
    }))
}

/// The members from `output` along the dotted `key` when it ends at a list, each step but
/// the last being a structure (not boxed: a key never runs through a recursive member).
fn list_path(
    shapes: &BTreeMap<String, Shape>,
    output: &Structure,
    key: &str,
) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut holder = output;
    let mut steps = key.split('.').peekable();
    while let Some(step) = steps.next() {
        let member = holder.members.iter().find(|m| m.name == step)?;
        names.push(member.name.clone());
        if steps.peek().is_none() {
            return is_list(member).then_some(names);
        }
        if member.boxed {
            return None;
        }
        holder = structure(shapes, Some(&member.target))?;
    }
    None
}

/// The inference rule of the module documentation.
fn infer(op: &str, input: &Structure, output: &Structure) -> Option<Paginator> {
    let token = |s: &Structure| {
        s.members
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case("NextToken") && is_string(m))
            .map(|m| m.name.clone())
    };
    let input_token = token(input)?;
    let output_token = token(output)?;
    let limit = input
        .members
        .iter()
        .find(|m| {
            ["MaxResults", "MaxItems", "Limit", "PageSize"]
                .iter()
                .any(|n| m.name.eq_ignore_ascii_case(n))
                && is_integer(m)
        })
        .map(|m| m.name.clone());
    let lists: Vec<&Member> = output.members.iter().filter(|m| is_list(m)).collect();
    let items = match lists.as_slice() {
        [only] => Some(only.name.clone()),
        _ => {
            let noun = strip_verb(op);
            lists
                .iter()
                .find(|m| !noun.is_empty() && m.name.starts_with(noun))
                .map(|m| m.name.clone())
        }
    };
    let items = items.map(|name| vec![name]).into_iter().collect();
    Some(Paginator {
        input_token,
        output_token,
        limit,
        items,
        inferred: true,
    })
}

/// `ListRecords` -> `Records`: the name after its first capitalised word.
fn strip_verb(op: &str) -> &str {
    op.char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or("", |(i, _)| &op[i..])
}

fn is_string(m: &Member) -> bool {
    matches!(m.ty, RustType::Scalar(Scalar::String))
}

fn is_integer(m: &Member) -> bool {
    matches!(m.ty, RustType::Scalar(Scalar::Integer | Scalar::Long))
}

fn is_list(m: &Member) -> bool {
    matches!(m.ty, RustType::List { sparse: false, .. })
}

#[cfg(test)]
mod tests {
    use super::strip_verb;

    #[test]
    fn strips_the_leading_verb() {
        assert_eq!(strip_verb("ListRecords"), "Records");
        assert_eq!(strip_verb("ListIdentityPoolUsage"), "IdentityPoolUsage");
        assert_eq!(strip_verb("Describe"), "");
    }
}
