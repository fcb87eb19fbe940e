//! Endpoint resolution: an interpreter for AWS endpoint rule sets.
//!
//! Every botocore model directory has an `endpoint-rule-set-1.json`, written in the Smithy
//! rules-engine format, that maps a few parameters (the region, whether FIPS or dual-stack
//! endpoints are wanted, a custom endpoint, ...) to the URL to send a request to, or to an
//! error explaining why the combination is not supported. [`RuleSet::from_json`] reads and
//! checks such a document once; [`RuleSet::resolve`] evaluates it for one set of
//! [`Params`] and returns an [`Endpoint`] or an [`EndpointError`].
//!
//! ```
//! use botogen_runtime::endpoint::{Params, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "String", "builtIn": "AWS::Region"},
//!         "UseFIPS": {"type": "Boolean", "required": true, "default": false}
//!     },
//!     "rules": [
//!         {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
//!                         {"fn": "aws.partition", "argv": [{"ref": "Region"}],
//!                          "assign": "Partition"}],
//!          "type": "tree",
//!          "rules": [
//!              {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
//!               "type": "endpoint",
//!               "endpoint": {"url": "https://svc-fips.{Region}.{Partition#dnsSuffix}"}},
//!              {"conditions": [], "type": "endpoint",
//!               "endpoint": {"url": "https://svc.{Region}.{Partition#dnsSuffix}"}}
//!          ]},
//!         {"conditions": [], "type": "error", "error": "Missing Region"}
//!     ]
//! }"#)?;
//!
//! let endpoint = rules.resolve(&Params::new().set("Region", "cn-north-1"))?;
//! assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
//! let fips = rules.resolve(&Params::new().set("Region", "us-east-1").set_bool("UseFIPS", true))?;
//! assert_eq!(fips.url, "https://svc-fips.us-east-1.amazonaws.com");
//! let err = rules.resolve(&Params::new()).unwrap_err();
//! assert_eq!(err.to_string(), "Missing Region");
//! # Ok::<(), botogen_runtime::endpoint::EndpointError>(())
//! ```
//!
//! # The model
//!
//! A rule set declares **parameters** (`type` `string`, `boolean` or `stringArray`, optionally
//! `required`, a `default`, and a `builtIn` naming the SDK setting it comes from) and a list
//! of **rules**. Each rule has **conditions** and one of three outcomes: an `endpoint` (a URL,
//! headers and properties), an `error` (a message), or a `tree` of further rules. Rules are
//! tried in order; the first endpoint or error rule whose conditions all hold (and those of
//! the trees it is in) decides. When a tree's conditions hold but none of its rules match,
//! evaluation goes on with the rules after the tree, as botocore does; some AWS rule sets
//! (S3's) rely on that. When nothing matches at all, resolution fails.
//!
//! A condition is a function call. It holds unless the function returns `false` or nothing
//! (an *unset* value); with `assign`, its result gets a name that later conditions of the
//! same rule, and everything inside the rule, can refer to. Function arguments are literals,
//! `{"ref": "Name"}` references to parameters or assigned values, or nested calls. Every
//! string literal is a **template**: `{Name}` is replaced by a string value and
//! `{Name#path}` by an attribute of a record (`{PartitionResult#dnsSuffix}`); `{{` and `}}`
//! stand for braces. URLs, error messages, header values and the strings in properties are
//! templates too.
//!
//! The functions are the standard library of the specification, `isSet`, `not`,
//! `booleanEquals`, `stringEquals`, `getAttr` (paths such as `resourceId[1]` or `a.b[0]`),
//! `substring`, `uriEncode`, `parseURL` and `isValidHostLabel`, and the AWS ones,
//! `aws.partition`, `aws.parseArn` and `aws.isVirtualHostableS3Bucket`. A function whose
//! argument is unset returns unset (so its condition fails), except `isSet`, and
//! `aws.partition`, which returns the default `aws` partition for an unset region as botocore
//! does (older AWS rule sets call it on an optional `Region` and rely on that).
//!
//! # Checking and failure
//!
//! [`RuleSet::from_json`] checks everything it can before any evaluation: rule shapes,
//! function names and argument counts, that each reference names a parameter or an earlier
//! assignment on the same path through the tree (so no name can be used before it is
//! bound, and an assignment may not shadow a visible name), templates, `getAttr` paths,
//! parameter types and defaults. Tree rules, and calls within one expression, may nest at
//! most 32 deep, and the JSON reader bounds the rest, so neither reading nor evaluation
//! recurses without limit. Nothing here panics: a malformed rule set is an
//! [`EndpointError`] naming the JSON path of the problem, and a value of the wrong type met
//! during evaluation is an error too.
//!
//! # Partitions
//!
//! `aws.partition` uses botocore's `partitions.json` (Apache-2.0, from the botocore 1.44.5
//! wheel, unmodified), embedded in the crate and parsed once on first use. A region belongs
//! to the partition that lists it by name, else to the first whose `regionRegex` matches it,
//! else to `aws`.
//!
//! # Parameters and SDK settings
//!
//! Callers fill [`Params`] from their configuration by each parameter's `builtIn`
//! ([`RuleSet::parameters`] lists them): `AWS::Region` is the region, `AWS::UseFIPS` and
//! `AWS::UseDualStack` the FIPS and dual-stack switches, `SDK::Endpoint` a custom endpoint
//! URL. Parameters not set take the rule set's `default`; a `required` parameter with
//! neither is an error. Values for names the rule set does not declare are ignored.

mod functions;
mod parse;
mod partition;

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;

use crate::document::Document;
use crate::json::parse_document;
use parse::{Call, Expr, Func, Part, PathSegment, Prop, Rule, RuleKind, Template};
use partition::Partitions;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// A checked endpoint rule set, ready to [`resolve`](RuleSet::resolve) endpoints.
///
/// Build it once per service (it does not change), and share it: it is `Send + Sync`.
pub struct RuleSet {
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
    /// How many value slots evaluation needs: one per parameter, then one per `assign`.
    slots: usize,
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleSet")
            .field("parameters", &self.parameters)
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

/// The declaration of one rule-set parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    name: String,
    ty: ParamType,
    required: bool,
    default: Option<ParamValue>,
    built_in: Option<String>,
    documentation: Option<String>,
    deprecated: bool,
}

impl Parameter {
    /// The parameter's name, as [`Params`] keys it (`Region`, `UseFIPS`, ...).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type its value must have.
    pub fn param_type(&self) -> ParamType {
        self.ty
    }

    /// Whether resolution fails when it has neither a value nor a default.
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// The value used when none is given.
    pub fn default_value(&self) -> Option<&ParamValue> {
        self.default.as_ref()
    }

    /// The SDK setting the value comes from, such as `AWS::Region`, `AWS::UseFIPS`,
    /// `AWS::UseDualStack` or `SDK::Endpoint`.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// The rule set's description of the parameter.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// Whether the rule set marks the parameter deprecated.
    pub fn is_deprecated(&self) -> bool {
        self.deprecated
    }
}

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamType {
    /// A string (`"type": "string"`).
    String,
    /// A boolean (`"type": "boolean"`).
    Boolean,
    /// A list of strings (`"type": "stringArray"`).
    StringArray,
}

impl ParamType {
    fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "string array",
        }
    }
}

/// The value of one parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl ParamValue {
    fn param_type(&self) -> ParamType {
        match self {
            ParamValue::String(_) => ParamType::String,
            ParamValue::Bool(_) => ParamType::Boolean,
            ParamValue::StringArray(_) => ParamType::StringArray,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => {
                Value::Array(items.iter().cloned().map(Value::String).collect())
            }
        }
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// The parameter values for one resolution, by parameter name.
///
/// ```
/// use botogen_runtime::endpoint::{ParamValue, Params};
///
/// let params = Params::new()
///     .set("Region", "us-east-1")
///     .set_bool("UseFIPS", false)
///     .set_string_array("Names", ["a", "b"]);
/// assert_eq!(params.get("Region"), Some(&ParamValue::from("us-east-1")));
/// assert_eq!(params.get("Endpoint"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a string parameter.
    #[must_use]
    pub fn set(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_value(name, ParamValue::String(value.into()))
    }

    /// Sets a boolean parameter.
    #[must_use]
    pub fn set_bool(self, name: impl Into<String>, value: bool) -> Self {
        self.set_value(name, ParamValue::Bool(value))
    }

    /// Sets a string-array parameter.
    #[must_use]
    pub fn set_string_array<I, S>(self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.set_value(name, ParamValue::StringArray(values))
    }

    /// Sets a parameter to any value.
    #[must_use]
    pub fn set_value(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.insert(name, value);
        self
    }

    /// Sets a parameter, returning its previous value.
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        value: impl Into<ParamValue>,
    ) -> Option<ParamValue> {
        self.values.insert(name.into(), value.into())
    }

    /// Unsets a parameter, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        self.values.remove(name)
    }

    /// The value of a parameter, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }

    /// All values set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL to send requests to, such as `https://cognito-sync.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to add to requests, by name; usually empty.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Further properties, always a [`Document::Object`] (empty when the rule has none).
    /// AWS rule sets put signing settings here, under `authSchemes`.
    pub properties: Document,
}

/// Why no endpoint was resolved, or why a rule set could not be read.
///
/// For an `error` rule of the rule set, [`Display`](fmt::Display) writes exactly the rule's
/// message (`Invalid Configuration: FIPS and custom endpoint are not supported`); otherwise
/// it says what went wrong, and for a malformed rule set where, as in
/// ``invalid endpoint rule set: rules[1].conditions[0]: unknown function `foo` ``.
/// [`kind`](EndpointError::kind) tells the cases apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

/// The kind of an [`EndpointError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// An `error` rule of the rule set matched: the parameters describe a configuration the
    /// service does not support.
    Rule,
    /// A required parameter had neither a value nor a default.
    MissingParameter,
    /// A parameter value had the wrong type.
    InvalidParameter,
    /// The rule set document is malformed.
    InvalidRuleSet,
    /// Evaluation met something the rule set should not allow: a value of the wrong type, a
    /// template naming an unset value, or no rule matching at all.
    Evaluation,
}

impl EndpointError {
    /// What kind of error this is.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message, as [`Display`](fmt::Display) writes it.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn rule(message: String) -> Self {
        EndpointError {
            kind: EndpointErrorKind::Rule,
            message,
        }
    }

    pub(crate) fn invalid_rule_set(detail: impl fmt::Display) -> Self {
        EndpointError {
            kind: EndpointErrorKind::InvalidRuleSet,
            message: format!("invalid endpoint rule set: {detail}"),
        }
    }

    fn evaluation(detail: impl fmt::Display) -> Self {
        EndpointError {
            kind: EndpointErrorKind::Evaluation,
            message: format!("endpoint resolution failed: {detail}"),
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for EndpointError {}

impl RuleSet {
    /// Reads and checks an `endpoint-rule-set-1.json` document.
    ///
    /// # Errors
    ///
    /// [`EndpointErrorKind::InvalidRuleSet`] when the text is not JSON or not a valid rule
    /// set; the message names the JSON path of the problem.
    pub fn from_json(text: &str) -> Result<RuleSet, EndpointError> {
        let doc = parse_document(text.as_bytes()).map_err(EndpointError::invalid_rule_set)?;
        parse::parse_rule_set(&doc)
    }

    /// The declared parameters, in name order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// Resolves the endpoint for `params`.
    ///
    /// # Errors
    ///
    /// The message of the `error` rule that matched ([`EndpointErrorKind::Rule`]), a missing
    /// required parameter or a value of the wrong type, or an evaluation error.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        let mut slots: Vec<Option<Value>> = Vec::with_capacity(self.slots);
        for parameter in &self.parameters {
            let value = match params.get(&parameter.name).or(parameter.default.as_ref()) {
                Some(value) if value.param_type() != parameter.ty => {
                    return Err(EndpointError {
                        kind: EndpointErrorKind::InvalidParameter,
                        message: format!(
                            "endpoint parameter `{}` must be a {}",
                            parameter.name,
                            parameter.ty.name()
                        ),
                    });
                }
                Some(value) => Some(value.to_value()),
                None if parameter.required => {
                    return Err(EndpointError {
                        kind: EndpointErrorKind::MissingParameter,
                        // botocore's wording.
                        message: format!(
                            "Cannot find value for required parameter {}",
                            parameter.name
                        ),
                    });
                }
                None => None,
            };
            slots.push(value);
        }
        slots.resize(self.slots, None);
        let mut eval = Eval { slots };
        match eval.rules(&self.rules)? {
            Some(endpoint) => Ok(endpoint),
            None => Err(EndpointError::evaluation("no rule matched the parameters")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// A value during evaluation. Unset values are `None` in an `Option<Value>`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Record(BTreeMap<String, Value>),
}

impl Value {
    /// A JSON value as a rule value; `None` for null and numbers that are not integers.
    pub(crate) fn from_document(doc: &Document) -> Option<Value> {
        Some(match doc {
            Document::Null => return None,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(n) => Value::Int(n.as_i64()?),
            Document::String(s) => Value::String(s.clone()),
            Document::Array(items) => {
                Value::Array(items.iter().filter_map(Value::from_document).collect())
            }
            Document::Object(members) => Value::Record(
                members
                    .iter()
                    .filter_map(|(k, v)| Value::from_document(v).map(|v| (k.clone(), v)))
                    .collect(),
            ),
        })
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Array(_) => "an array",
            Value::Record(_) => "a record",
        }
    }
}

/// What a possibly unset value is, for error messages.
fn describe(value: Option<&Value>) -> &'static str {
    value.map_or("unset", Value::type_name)
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

struct Eval {
    slots: Vec<Option<Value>>,
}

impl Eval {
    /// The outcome of the first matching rule: `Ok(None)` when none matches.
    ///
    /// Recursion follows tree rules, whose nesting the parser bounds.
    fn rules(&mut self, rules: &[Rule]) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            if !self.conditions_hold(rule)? {
                continue;
            }
            return match &rule.kind {
                RuleKind::Endpoint(def) => {
                    let url = self.string_of(&def.url, "the endpoint URL")?;
                    let mut headers = BTreeMap::new();
                    for (name, values) in &def.headers {
                        let values = values
                            .iter()
                            .map(|v| self.string_of(v, "a header value"))
                            .collect::<Result<Vec<_>, _>>()?;
                        headers.insert(name.clone(), values);
                    }
                    let mut properties = BTreeMap::new();
                    for (name, prop) in &def.properties {
                        properties.insert(name.clone(), self.prop(prop)?);
                    }
                    Ok(Some(Endpoint {
                        url,
                        headers,
                        properties: Document::Object(properties),
                    }))
                }
                RuleKind::Error(message) => Err(EndpointError::rule(
                    self.string_of(message, "the error message")?,
                )),
                RuleKind::Tree(rules) => match self.rules(rules)? {
                    Some(endpoint) => Ok(Some(endpoint)),
                    // Not terminal: go on with the tree's siblings.
                    None => continue,
                },
            };
        }
        Ok(None)
    }

    fn conditions_hold(&mut self, rule: &Rule) -> Result<bool, EndpointError> {
        for condition in &rule.conditions {
            let value = self.call(&condition.call)?;
            let holds = !matches!(value, None | Some(Value::Bool(false)));
            if let Some(cell) = condition.assign.and_then(|slot| self.slots.get_mut(slot)) {
                *cell = value;
            }
            if !holds {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Evaluates an expression that must give a string.
    fn string_of(&mut self, expr: &Expr, what: &str) -> Result<String, EndpointError> {
        match self.expr(expr)? {
            Some(Value::String(s)) => Ok(s),
            other => Err(EndpointError::evaluation(format!(
                "{what} must be a string, found {}",
                describe(other.as_ref())
            ))),
        }
    }

    fn expr(&mut self, expr: &Expr) -> Result<Option<Value>, EndpointError> {
        Ok(match expr {
            Expr::Bool(b) => Some(Value::Bool(*b)),
            Expr::Int(i) => Some(Value::Int(*i)),
            Expr::String(template) => Some(Value::String(self.template(template)?)),
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match self.expr(item)? {
                        Some(value) => values.push(value),
                        None => {
                            return Err(EndpointError::evaluation(
                                "an array literal holds an unset value",
                            ));
                        }
                    }
                }
                Some(Value::Array(values))
            }
            Expr::Ref(r) => self.slots.get(r.slot).cloned().flatten(),
            Expr::Call(call) => self.call(call)?,
        })
    }

    fn template(&self, template: &Template) -> Result<String, EndpointError> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Var { var, path } => {
                    let value = self.slots.get(var.slot).and_then(Option::as_ref);
                    let value = value.and_then(|v| get_attr(v, path));
                    match value {
                        Some(Value::String(s)) => out.push_str(s),
                        other => {
                            return Err(EndpointError::evaluation(format!(
                                "template variable `{}` must be a string, found {}",
                                var.name,
                                describe(other)
                            )));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn prop(&self, prop: &Prop) -> Result<Document, EndpointError> {
        Ok(match prop {
            Prop::Null => Document::Null,
            Prop::Bool(b) => Document::Bool(*b),
            Prop::Number(n) => Document::Number(*n),
            Prop::String(template) => Document::String(self.template(template)?),
            Prop::Array(items) => Document::Array(
                items
                    .iter()
                    .map(|item| self.prop(item))
                    .collect::<Result<_, _>>()?,
            ),
            Prop::Object(members) => Document::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.prop(v)?)))
                    .collect::<Result<_, EndpointError>>()?,
            ),
        })
    }

    fn call(&mut self, call: &Call) -> Result<Option<Value>, EndpointError> {
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            args.push(self.expr(arg)?);
        }
        let name = call.func.name();
        match (&call.func, args.first()) {
            (Func::IsSet, first) => return Ok(Some(Value::Bool(matches!(first, Some(Some(_)))))),
            // As in botocore, and relied on by AWS rule sets that call `aws.partition` on a
            // region that may be unset: no region means the default partition.
            (Func::Partition, Some(None)) => return partition(""),
            _ => {}
        }
        // Every other function returns unset when an argument is unset.
        let Some(args) = args.into_iter().collect::<Option<Vec<Value>>>() else {
            return Ok(None);
        };
        let type_error = |index: usize, expected: &str| {
            EndpointError::evaluation(format!(
                "argument {} of `{name}` must be {expected}, found {}",
                index + 1,
                describe(args.get(index))
            ))
        };
        let string = |index: usize| match args.get(index) {
            Some(Value::String(s)) => Ok(s.as_str()),
            _ => Err(type_error(index, "a string")),
        };
        let boolean = |index: usize| match args.get(index) {
            Some(Value::Bool(b)) => Ok(*b),
            _ => Err(type_error(index, "a boolean")),
        };
        let index = |i: usize| match args.get(i) {
            Some(Value::Int(n)) => {
                usize::try_from(*n).map_err(|_| type_error(i, "a non-negative integer"))
            }
            _ => Err(type_error(i, "a non-negative integer")),
        };
        Ok(match &call.func {
            Func::IsSet => None,
            Func::Not => Some(Value::Bool(!boolean(0)?)),
            Func::BooleanEquals => Some(Value::Bool(boolean(0)? == boolean(1)?)),
            Func::StringEquals => Some(Value::Bool(string(0)? == string(1)?)),
            Func::GetAttr(path) => args.first().and_then(|v| get_attr(v, path)).cloned(),
            Func::Substring => functions::substring(string(0)?, index(1)?, index(2)?, boolean(3)?)
                .map(|s| Value::String(s.to_owned())),
            Func::UriEncode => Some(Value::String(functions::uri_encode(string(0)?))),
            Func::ParseUrl => functions::parse_url(string(0)?),
            Func::IsValidHostLabel => Some(Value::Bool(functions::is_valid_host_label(
                string(0)?,
                boolean(1)?,
            ))),
            Func::Partition => return partition(string(0)?),
            Func::ParseArn => functions::parse_arn(string(0)?),
            Func::IsVirtualHostableS3Bucket => Some(Value::Bool(
                functions::is_virtual_hostable_s3_bucket(string(0)?, boolean(1)?),
            )),
        })
    }
}

/// `aws.partition(region)`.
fn partition(region: &str) -> Result<Option<Value>, EndpointError> {
    Ok(Partitions::embedded()
        .map_err(EndpointError::evaluation)?
        .resolve(region))
}

/// Follows a `getAttr` path: members of records and indexes of arrays. Unset when a member
/// is missing, an index is out of range, or a step does not fit the value.
fn get_attr<'v>(value: &'v Value, path: &[PathSegment]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |value, segment| match (value, segment) {
            (Value::Record(members), PathSegment::Key(key)) => members.get(key),
            (Value::Array(items), PathSegment::Index(i)) => items.get(*i),
            _ => None,
        })
}

#[cfg(test)]
mod tests;
