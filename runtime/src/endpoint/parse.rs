//! Reading a rule set document into the checked form that [`RuleSet::resolve`] walks.
//!
//! Everything that can be checked before evaluation is checked here, with the JSON path of
//! the problem in the error: rule types, function names and argument counts, that every
//! reference and template variable names a parameter or a value assigned earlier on the same
//! path through the tree, that an assignment does not shadow a visible name, `getAttr` paths,
//! template syntax, parameter types and defaults, and nesting depth.
//!
//! Names are resolved to slots here: each parameter and each `assign` gets its own slot, so
//! evaluation indexes a vector instead of looking names up. Because a reference can only
//! name an assignment made earlier on its own path, a slot is always written before it is
//! read during one evaluation.

use std::collections::BTreeMap;

use super::{EndpointError, ParamType, ParamValue, Parameter, RuleSet};
use crate::document::{Document, Number};

/// How deeply tree rules, and function calls within one expression, may nest.
pub(crate) const MAX_NESTING: usize = 32;

pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

pub(crate) enum RuleKind {
    Endpoint(EndpointDef),
    Error(Expr),
    Tree(Vec<Rule>),
}

pub(crate) struct EndpointDef {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: Vec<(String, Prop)>,
}

/// A property value: a JSON literal whose strings are templates.
pub(crate) enum Prop {
    Null,
    Bool(bool),
    Number(Number),
    String(Template),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}

pub(crate) struct Condition {
    pub(crate) call: Call,
    /// The slot the result is assigned to.
    pub(crate) assign: Option<usize>,
}

pub(crate) enum Expr {
    Bool(bool),
    Int(i64),
    String(Template),
    Array(Vec<Expr>),
    Ref(Ref),
    Call(Box<Call>),
}

/// A resolved name.
pub(crate) struct Ref {
    pub(crate) slot: usize,
    pub(crate) name: String,
}

pub(crate) struct Call {
    pub(crate) func: Func,
    pub(crate) args: Vec<Expr>,
}

/// The library functions. `getAttr` carries its (literal) path; its one argument is the
/// value the path is applied to.
pub(crate) enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr(Vec<PathSegment>),
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Func {
    /// The function called `name` and the number of arguments it takes.
    fn lookup(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "isSet" => (Func::IsSet, 1),
            "not" => (Func::Not, 1),
            "booleanEquals" => (Func::BooleanEquals, 2),
            "stringEquals" => (Func::StringEquals, 2),
            "getAttr" => (Func::GetAttr(Vec::new()), 2),
            "substring" => (Func::Substring, 4),
            "uriEncode" => (Func::UriEncode, 1),
            "parseURL" => (Func::ParseUrl, 1),
            "isValidHostLabel" => (Func::IsValidHostLabel, 2),
            "aws.partition" => (Func::Partition, 1),
            "aws.parseArn" => (Func::ParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Func::IsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }

    /// The name used in the rule set, for error messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Func::IsSet => "isSet",
            Func::Not => "not",
            Func::BooleanEquals => "booleanEquals",
            Func::StringEquals => "stringEquals",
            Func::GetAttr(_) => "getAttr",
            Func::Substring => "substring",
            Func::UriEncode => "uriEncode",
            Func::ParseUrl => "parseURL",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::Partition => "aws.partition",
            Func::ParseArn => "aws.parseArn",
            Func::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// One step of a `getAttr` path: a record member or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathSegment {
    Key(String),
    Index(usize),
}

/// A string with `{Name}` and `{Name#path}` substitutions.
pub(crate) struct Template {
    pub(crate) parts: Vec<Part>,
}

pub(crate) enum Part {
    Text(String),
    Var { var: Ref, path: Vec<PathSegment> },
}

/// Parses a `getAttr` path: `.`-separated members, each optionally followed by `[n]` indexes
/// (`a.b[0]`, `resourceId[1]`, `[0]`).
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathSegment>, String> {
    let mut segments = Vec::new();
    if path.is_empty() {
        return Err("empty getAttr path".to_owned());
    }
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if name.is_empty() && rest.is_empty() {
            return Err(format!("empty member name in getAttr path `{path}`"));
        }
        if !name.is_empty() {
            if name.contains(']') {
                return Err(format!("invalid getAttr path `{path}`"));
            }
            segments.push(PathSegment::Key(name.to_owned()));
        }
        while let Some(bracketed) = rest.strip_prefix('[') {
            let bad_index = || format!("invalid index in getAttr path `{path}`");
            let (digits, after) = bracketed.split_once(']').ok_or_else(bad_index)?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_index());
            }
            segments.push(PathSegment::Index(digits.parse().map_err(|_| bad_index())?));
            rest = after;
        }
        if !rest.is_empty() {
            return Err(format!("invalid getAttr path `{path}`"));
        }
    }
    Ok(segments)
}

fn invalid(path: &str, message: impl std::fmt::Display) -> EndpointError {
    EndpointError::invalid_rule_set(format!("{path}: {message}"))
}

/// What a JSON value is, for error messages.
fn kind_of(doc: &Document) -> &'static str {
    match doc {
        Document::Null => "null",
        Document::Bool(_) => "a boolean",
        Document::Number(_) => "a number",
        Document::String(_) => "a string",
        Document::Array(_) => "an array",
        Document::Object(_) => "an object",
    }
}

/// Parses a whole rule set document.
pub(crate) fn parse_rule_set(doc: &Document) -> Result<RuleSet, EndpointError> {
    let root = doc
        .as_object()
        .ok_or_else(|| invalid("$", format!("expected an object, found {}", kind_of(doc))))?;
    if root.get("version").is_some_and(|v| v.as_str().is_none()) {
        return Err(invalid("version", "expected a string"));
    }
    let mut parser = Parser {
        scope: Vec::new(),
        slots: 0,
    };
    let mut parameters = Vec::new();
    match root.get("parameters") {
        None => {}
        Some(Document::Object(params)) => {
            for (name, def) in params {
                let parameter = parse_parameter(name, def)?;
                if parser.lookup(name).is_some() {
                    return Err(invalid(
                        &format!("parameters.{name}"),
                        "duplicate parameter",
                    ));
                }
                let slot = parser.new_slot();
                parser.scope.push((name.clone(), slot));
                parameters.push(parameter);
            }
        }
        Some(other) => {
            return Err(invalid(
                "parameters",
                format!("expected an object, found {}", kind_of(other)),
            ));
        }
    }
    let rules = match root.get("rules") {
        Some(rules) => parser.rules(rules, "rules", 0)?,
        None => return Err(invalid("$", "missing `rules`")),
    };
    Ok(RuleSet {
        parameters,
        rules,
        slots: parser.slots,
    })
}

fn parse_parameter(name: &str, def: &Document) -> Result<Parameter, EndpointError> {
    let path = format!("parameters.{name}");
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(invalid(&path, "invalid parameter name"));
    }
    let def = def
        .as_object()
        .ok_or_else(|| invalid(&path, format!("expected an object, found {}", kind_of(def))))?;
    let ty = match def.get("type").and_then(Document::as_str) {
        Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
        Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
        Some(t) if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
        Some(t) => return Err(invalid(&path, format!("unknown parameter type `{t}`"))),
        None => return Err(invalid(&path, "missing `type`")),
    };
    let required = match def.get("required") {
        None | Some(Document::Null) => false,
        Some(Document::Bool(b)) => *b,
        Some(_) => return Err(invalid(&path, "`required` must be a boolean")),
    };
    let default = match def.get("default") {
        None | Some(Document::Null) => None,
        Some(value) => Some(
            param_value(ty, value)
                .ok_or_else(|| invalid(&path, format!("`default` is not a {}", ty.name())))?,
        ),
    };
    let text = |key: &str| -> Result<Option<String>, EndpointError> {
        match def.get(key) {
            None | Some(Document::Null) => Ok(None),
            Some(Document::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(&path, format!("`{key}` must be a string"))),
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        required,
        default,
        built_in: text("builtIn")?,
        documentation: text("documentation")?,
        deprecated: def.contains_key("deprecated"),
    })
}

/// A JSON value as a parameter value of type `ty`.
fn param_value(ty: ParamType, value: &Document) -> Option<ParamValue> {
    match (ty, value) {
        (ParamType::String, Document::String(s)) => Some(ParamValue::String(s.clone())),
        (ParamType::Boolean, Document::Bool(b)) => Some(ParamValue::Bool(*b)),
        (ParamType::StringArray, Document::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(ParamValue::StringArray),
        _ => None,
    }
}

struct Parser {
    /// Visible names and their slots, innermost last.
    scope: Vec<(String, usize)>,
    slots: usize,
}

impl Parser {
    fn new_slot(&mut self) -> usize {
        self.slots += 1;
        self.slots - 1
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|&(_, slot)| slot)
    }

    fn reference(&self, name: &str, path: &str) -> Result<Ref, EndpointError> {
        let slot = self.lookup(name).ok_or_else(|| {
            invalid(
                path,
                format!("`{name}` is neither a parameter nor assigned before this point"),
            )
        })?;
        Ok(Ref {
            slot,
            name: name.to_owned(),
        })
    }

    fn rules(
        &mut self,
        doc: &Document,
        path: &str,
        depth: usize,
    ) -> Result<Vec<Rule>, EndpointError> {
        if depth > MAX_NESTING {
            return Err(invalid(
                path,
                format!("tree rules nested more than {MAX_NESTING} deep"),
            ));
        }
        let items = doc.as_array().ok_or_else(|| {
            invalid(
                path,
                format!("expected an array of rules, found {}", kind_of(doc)),
            )
        })?;
        let mut rules = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let scope_len = self.scope.len();
            let rule = self.rule(item, &format!("{path}[{i}]"), depth);
            self.scope.truncate(scope_len);
            rules.push(rule?);
        }
        Ok(rules)
    }

    fn rule(&mut self, doc: &Document, path: &str, depth: usize) -> Result<Rule, EndpointError> {
        let obj = doc.as_object().ok_or_else(|| {
            invalid(
                path,
                format!("expected a rule object, found {}", kind_of(doc)),
            )
        })?;
        let mut conditions = Vec::new();
        match obj.get("conditions") {
            None => {}
            Some(Document::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    conditions.push(self.condition(item, &format!("{path}.conditions[{i}]"))?);
                }
            }
            Some(other) => {
                return Err(invalid(
                    &format!("{path}.conditions"),
                    format!("expected an array, found {}", kind_of(other)),
                ));
            }
        }
        let member = |key: &str| {
            obj.get(key)
                .ok_or_else(|| invalid(path, format!("missing `{key}`")))
        };
        let kind = match obj.get("type").and_then(Document::as_str) {
            Some("endpoint") => {
                RuleKind::Endpoint(self.endpoint(member("endpoint")?, &format!("{path}.endpoint"))?)
            }
            Some("error") => {
                RuleKind::Error(self.expr(member("error")?, &format!("{path}.error"), 0)?)
            }
            Some("tree") => {
                RuleKind::Tree(self.rules(member("rules")?, &format!("{path}.rules"), depth + 1)?)
            }
            Some(other) => return Err(invalid(path, format!("unknown rule type `{other}`"))),
            None => return Err(invalid(path, "missing rule `type`")),
        };
        Ok(Rule { conditions, kind })
    }

    fn condition(&mut self, doc: &Document, path: &str) -> Result<Condition, EndpointError> {
        let call = self.call(doc, path, 0)?;
        let assign = match doc.as_object().and_then(|o| o.get("assign")) {
            None => None,
            Some(Document::String(name)) => {
                if name.is_empty() {
                    return Err(invalid(path, "empty `assign` name"));
                }
                if self.lookup(name).is_some() {
                    return Err(invalid(
                        path,
                        format!("`assign` would shadow `{name}`, which is already defined"),
                    ));
                }
                let slot = self.new_slot();
                self.scope.push((name.clone(), slot));
                Some(slot)
            }
            Some(other) => {
                return Err(invalid(
                    path,
                    format!("`assign` must be a string, found {}", kind_of(other)),
                ));
            }
        };
        Ok(Condition { call, assign })
    }

    fn call(&mut self, doc: &Document, path: &str, depth: usize) -> Result<Call, EndpointError> {
        if depth > MAX_NESTING {
            return Err(invalid(
                path,
                format!("function calls nested more than {MAX_NESTING} deep"),
            ));
        }
        let obj = doc.as_object().ok_or_else(|| {
            invalid(
                path,
                format!("expected a function call, found {}", kind_of(doc)),
            )
        })?;
        let name = obj
            .get("fn")
            .and_then(Document::as_str)
            .ok_or_else(|| invalid(path, "expected a function call (missing `fn`)"))?;
        let (mut func, arity) = Func::lookup(name)
            .ok_or_else(|| invalid(path, format!("unknown function `{name}`")))?;
        let argv = match obj.get("argv") {
            Some(Document::Array(argv)) => argv,
            _ => return Err(invalid(path, format!("`{name}`: missing `argv` array"))),
        };
        if argv.len() != arity {
            return Err(invalid(
                path,
                format!(
                    "`{name}` takes {arity} argument{}, found {}",
                    if arity == 1 { "" } else { "s" },
                    argv.len()
                ),
            ));
        }
        let mut args = Vec::with_capacity(arity);
        for (i, arg) in argv.iter().enumerate() {
            let arg_path = format!("{path}.argv[{i}]");
            if let (Func::GetAttr(segments), 1) = (&mut func, i) {
                let text = arg.as_str().ok_or_else(|| {
                    invalid(&arg_path, "the getAttr path must be a literal string")
                })?;
                *segments = parse_path(text).map_err(|e| invalid(&arg_path, e))?;
            } else {
                args.push(self.expr(arg, &arg_path, depth + 1)?);
            }
        }
        Ok(Call { func, args })
    }

    fn expr(&mut self, doc: &Document, path: &str, depth: usize) -> Result<Expr, EndpointError> {
        if depth > MAX_NESTING {
            return Err(invalid(
                path,
                format!("expressions nested more than {MAX_NESTING} deep"),
            ));
        }
        Ok(match doc {
            Document::Bool(b) => Expr::Bool(*b),
            Document::Number(n) => Expr::Int(
                n.as_i64()
                    .ok_or_else(|| invalid(path, format!("`{n}` is not an integer")))?,
            ),
            Document::String(s) => Expr::String(self.template(s, path)?),
            Document::Array(items) => {
                let mut exprs = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    exprs.push(self.expr(item, &format!("{path}[{i}]"), depth + 1)?);
                }
                Expr::Array(exprs)
            }
            Document::Object(obj) => {
                if let Some(name) = obj.get("ref") {
                    let name = name
                        .as_str()
                        .ok_or_else(|| invalid(path, "`ref` must be a string"))?;
                    Expr::Ref(self.reference(name, path)?)
                } else if obj.contains_key("fn") {
                    Expr::Call(Box::new(self.call(doc, path, depth)?))
                } else {
                    return Err(invalid(
                        path,
                        "expected a literal, a `ref` or a function call, found an object",
                    ));
                }
            }
            Document::Null => return Err(invalid(path, "unexpected null")),
        })
    }

    fn endpoint(&mut self, doc: &Document, path: &str) -> Result<EndpointDef, EndpointError> {
        let obj = doc
            .as_object()
            .ok_or_else(|| invalid(path, format!("expected an object, found {}", kind_of(doc))))?;
        let url = self.expr(
            obj.get("url")
                .ok_or_else(|| invalid(path, "missing `url`"))?,
            &format!("{path}.url"),
            0,
        )?;
        let mut headers = Vec::new();
        match obj.get("headers") {
            None | Some(Document::Null) => {}
            Some(Document::Object(map)) => {
                for (name, values) in map {
                    let header_path = format!("{path}.headers.{name}");
                    let values = values.as_array().ok_or_else(|| {
                        invalid(&header_path, "expected an array of header values")
                    })?;
                    let mut exprs = Vec::with_capacity(values.len());
                    for (i, value) in values.iter().enumerate() {
                        exprs.push(self.expr(value, &format!("{header_path}[{i}]"), 0)?);
                    }
                    headers.push((name.clone(), exprs));
                }
            }
            Some(other) => {
                return Err(invalid(
                    &format!("{path}.headers"),
                    format!("expected an object, found {}", kind_of(other)),
                ));
            }
        }
        let properties = match obj.get("properties") {
            None | Some(Document::Null) => Vec::new(),
            Some(Document::Object(map)) => self.prop_members(map, &format!("{path}.properties"))?,
            Some(other) => {
                return Err(invalid(
                    &format!("{path}.properties"),
                    format!("expected an object, found {}", kind_of(other)),
                ));
            }
        };
        Ok(EndpointDef {
            url,
            headers,
            properties,
        })
    }

    fn prop_members(
        &mut self,
        map: &BTreeMap<String, Document>,
        path: &str,
    ) -> Result<Vec<(String, Prop)>, EndpointError> {
        map.iter()
            .map(|(k, v)| Ok((k.clone(), self.prop(v, &format!("{path}.{k}"))?)))
            .collect()
    }

    /// A property value. JSON nesting is already bounded by the JSON reader.
    fn prop(&mut self, doc: &Document, path: &str) -> Result<Prop, EndpointError> {
        Ok(match doc {
            Document::Null => Prop::Null,
            Document::Bool(b) => Prop::Bool(*b),
            Document::Number(n) => Prop::Number(*n),
            Document::String(s) => Prop::String(self.template(s, path)?),
            Document::Array(items) => Prop::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.prop(item, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Document::Object(map) => Prop::Object(self.prop_members(map, path)?),
        })
    }

    /// Parses a template: `{Name}` or `{Name#path}` substitute a value, `{{` and `}}` stand
    /// for `{` and `}`.
    fn template(&self, text: &str, path: &str) -> Result<Template, EndpointError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(rest.get(..i).unwrap_or_default());
            let after = rest.get(i..).unwrap_or_default();
            if let Some(r) = after.strip_prefix("{{") {
                literal.push('{');
                rest = r;
            } else if let Some(r) = after.strip_prefix("}}") {
                literal.push('}');
                rest = r;
            } else if let Some(r) = after.strip_prefix('}') {
                // A lone `}` is taken literally.
                literal.push('}');
                rest = r;
            } else {
                let inner_and_rest = after.get(1..).unwrap_or_default();
                let (inner, r) = inner_and_rest
                    .split_once('}')
                    .ok_or_else(|| invalid(path, format!("unclosed `{{` in template `{text}`")))?;
                let (name, attr) = match inner.split_once('#') {
                    Some((name, attr)) => (
                        name,
                        parse_path(attr)
                            .map_err(|e| invalid(path, format!("in template `{text}`: {e}")))?,
                    ),
                    None => (inner, Vec::new()),
                };
                if name.is_empty() || name.contains('{') {
                    return Err(invalid(
                        path,
                        format!("invalid template variable in `{text}`"),
                    ));
                }
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(Part::Var {
                    var: self.reference(name, path)?,
                    path: attr,
                });
                rest = r;
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() || parts.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }
}

/// Parses one expression with `names` in scope (in slots `0..names.len()`), for tests.
#[cfg(test)]
pub(crate) fn parse_expression(doc: &Document, names: &[&str]) -> Result<Expr, EndpointError> {
    let mut parser = Parser {
        scope: Vec::new(),
        slots: 0,
    };
    for name in names {
        let slot = parser.new_slot();
        parser.scope.push(((*name).to_owned(), slot));
    }
    parser.expr(doc, "$", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        use PathSegment::{Index, Key};
        assert_eq!(parse_path("a").unwrap(), vec![Key("a".into())]);
        assert_eq!(
            parse_path("a.b[0]").unwrap(),
            vec![Key("a".into()), Key("b".into()), Index(0)]
        );
        assert_eq!(
            parse_path("resourceId[12][3]").unwrap(),
            vec![Key("resourceId".into()), Index(12), Index(3)]
        );
        assert_eq!(parse_path("[1]").unwrap(), vec![Index(1)]);
        for bad in [
            "", ".", "a.", ".a", "a[", "a[]", "a[x]", "a[1", "a]", "a[-1]", "a[1]b",
        ] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
