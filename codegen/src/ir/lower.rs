//! Lowering: checks a parsed model and builds the IR from it.

use std::collections::{BTreeMap, BTreeSet};

use super::naming::{self, Namespace};
use super::recursion::{self, Graph};
use super::*;
use crate::docs::html_to_markdown;
use crate::error::Error;
use crate::model::{self, ServiceModel, ShapeType};

/// The file name used in error messages for the service model.
const FILE: &str = "service-2.json";

impl Service {
    /// Validates `model` and lowers it into the IR.
    ///
    /// Fails on the first problem found, naming its JSON path: dangling shape references, list
    /// or map shapes without their element shapes, labels without a member, cycles of required
    /// members, and constructs this generator does not support (protocols other than rest-json,
    /// big numbers). Operations that use event streams are left out and listed in
    /// [`Service::omitted_operations`].
    pub fn from_model(model: &ServiceModel) -> Result<Self, Error> {
        Self::from_models(model, None)
    }

    /// As [`from_model`](Self::from_model), with the operations' pagination read from
    /// `paginators-1.json` where it has an entry and inferred elsewhere.
    pub fn from_models(
        model: &ServiceModel,
        paginators: Option<&model::PaginatorsModel>,
    ) -> Result<Self, Error> {
        let (without_streams, omitted_operations) = super::event_streams::leave_out(model);
        let model = without_streams.as_ref().unwrap_or(model);
        let meta = lower_meta(model)?;
        check_references(model)?;
        check_shapes(model)?;
        let reach = Reachability::compute(model);
        let op_names = name_operations(model);
        let items = name_items(model, &meta.type_prefix, &op_names);
        let fn_stems = name_fn_stems(model, &items);
        let boxed = boxed_members(model);

        let mut shapes = BTreeMap::new();
        for (name, shape) in &model.shapes {
            let lowered = Lowering {
                model,
                items: &items,
                fn_stems: &fn_stems,
                boxed: &boxed,
                reach: &reach,
            }
            .shape(name, shape)?;
            shapes.insert(name.clone(), lowered);
        }
        check_required_cycles(&shapes)?;

        let mut operations = Vec::new();
        for (name, op) in &model.operations {
            operations.push(lower_operation(name, op, model, &op_names[name])?);
        }
        super::paginate::assign(&mut operations, &shapes, paginators)?;
        Ok(Self {
            meta,
            shapes,
            operations,
            waiters: Vec::new(),
            omitted_operations,
        })
    }
}

fn deprecation(
    flag: Option<bool>,
    message: &Option<String>,
    since: &Option<String>,
) -> Option<Deprecation> {
    (flag == Some(true)).then(|| Deprecation {
        message: message.clone(),
        since: since.clone(),
    })
}

fn lower_meta(model: &ServiceModel) -> Result<ServiceMeta, Error> {
    let m = &model.metadata;
    let protocol = match m.protocol.as_deref() {
        Some("rest-json") => Protocol::RestJson,
        Some(other) => {
            return Err(Error::unsupported(
                FILE,
                "metadata.protocol",
                format!("the `{other}` protocol"),
            ));
        }
        None => {
            return Err(Error::malformed(
                FILE,
                "metadata.protocol",
                "missing key `protocol`",
            ));
        }
    };
    let required = |value: &Option<String>, key: &str| {
        value.clone().ok_or_else(|| {
            Error::malformed(
                FILE,
                &format!("metadata.{key}"),
                format!("missing key `{key}`"),
            )
        })
    };
    let api_version = required(&m.api_version, "apiVersion")?;
    let endpoint_prefix = required(&m.endpoint_prefix, "endpointPrefix")?;
    let service_id = m
        .service_id
        .clone()
        .or_else(|| m.service_abbreviation.clone())
        .unwrap_or_else(|| endpoint_prefix.clone());
    let full_name = m
        .service_full_name
        .clone()
        .unwrap_or_else(|| service_id.clone());
    let auth = match (&m.auth, m.signature_version.as_deref()) {
        (Some(auth), _) => auth.clone(),
        (None, Some("v4")) => vec!["aws.auth#sigv4".to_owned()],
        (None, Some("bearer")) => vec!["smithy.api#httpBearerAuth".to_owned()],
        (None, _) => Vec::new(),
    };
    Ok(ServiceMeta {
        type_prefix: naming::upper_camel(&service_id),
        signing_name: m
            .signing_name
            .clone()
            .unwrap_or_else(|| endpoint_prefix.clone()),
        service_id,
        full_name,
        api_version,
        endpoint_prefix,
        uid: m.uid.clone(),
        protocol,
        auth,
        docs: model
            .documentation
            .as_deref()
            .map(html_to_markdown)
            .unwrap_or_default(),
        deprecated: deprecation(m.deprecated, &m.deprecated_message, &None),
    })
}

/// Every `shape` reference names a shape of the model.
fn check_references(model: &ServiceModel) -> Result<(), Error> {
    let exists = |target: &str, path: String| -> Result<(), Error> {
        if model.shapes.contains_key(target) {
            Ok(())
        } else {
            Err(Error::malformed(
                FILE,
                &path,
                format!("shape `{target}` is not defined"),
            ))
        }
    };
    for (name, shape) in &model.shapes {
        for (member_name, member) in shape.members.iter() {
            exists(
                &member.shape,
                format!("shapes.{name}.members.{member_name}.shape"),
            )?;
        }
        for (key, reference) in [
            ("member", &shape.member),
            ("key", &shape.key),
            ("value", &shape.value),
        ] {
            if let Some(reference) = reference {
                exists(&reference.shape, format!("shapes.{name}.{key}.shape"))?;
            }
        }
    }
    for (name, op) in &model.operations {
        if op.name != *name {
            return Err(Error::malformed(
                FILE,
                &format!("operations.{name}.name"),
                format!("operation is filed under `{name}` but named `{}`", op.name),
            ));
        }
        for (key, io) in [("input", &op.input), ("output", &op.output)] {
            if let Some(io) = io {
                let path = format!("operations.{name}.{key}.shape");
                exists(&io.shape, path.clone())?;
                if model.shapes[&io.shape].shape_type != ShapeType::Structure {
                    return Err(Error::malformed(
                        FILE,
                        &path,
                        format!("{key} shape `{}` is not a structure", io.shape),
                    ));
                }
            }
        }
        for (i, error) in op.errors.iter().enumerate() {
            let path = format!("operations.{name}.errors[{i}].shape");
            exists(&error.shape, path.clone())?;
            if model.shapes[&error.shape].shape_type != ShapeType::Structure {
                return Err(Error::malformed(
                    FILE,
                    &path,
                    format!("error shape `{}` is not a structure", error.shape),
                ));
            }
        }
    }
    Ok(())
}

/// Per-shape consistency: element shapes present, keys sane, unsupported constructs named.
fn check_shapes(model: &ServiceModel) -> Result<(), Error> {
    for (name, shape) in &model.shapes {
        let at = |key: &str| format!("shapes.{name}.{key}");
        match shape.shape_type {
            ShapeType::List if shape.member.is_none() => {
                return Err(Error::malformed(
                    FILE,
                    &at("member"),
                    "list shape has no `member`",
                ));
            }
            ShapeType::Map if shape.key.is_none() || shape.value.is_none() => {
                let missing = if shape.key.is_none() { "key" } else { "value" };
                return Err(Error::malformed(
                    FILE,
                    &at(missing),
                    format!("map shape has no `{missing}`"),
                ));
            }
            ShapeType::Map => {
                if let Some(key) = &shape.key
                    && model.shapes[&key.shape].shape_type != ShapeType::String
                {
                    return Err(Error::malformed(
                        FILE,
                        &at("key.shape"),
                        format!("map key shape `{}` is not a string", key.shape),
                    ));
                }
            }
            ShapeType::BigInteger | ShapeType::BigDecimal => {
                return Err(Error::unsupported(
                    FILE,
                    &at("type"),
                    format!("the `{:?}` shape type", shape.shape_type),
                ));
            }
            _ => {}
        }
        if shape.eventstream == Some(true) {
            return Err(Error::unsupported(
                FILE,
                &at("eventstream"),
                "an event stream",
            ));
        }
        if shape.enum_values.is_some() && shape.shape_type != ShapeType::String {
            return Err(Error::malformed(
                FILE,
                &at("enum"),
                "`enum` is only allowed on string shapes",
            ));
        }
        if shape.enum_values.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::malformed(
                FILE,
                &at("enum"),
                "`enum` lists no values",
            ));
        }
        if let Some(format) = &shape.timestamp_format {
            parse_timestamp_format(format)
                .map_err(|msg| Error::malformed(FILE, &at("timestampFormat"), msg))?;
        }
        if !shape.members.is_empty() && shape.shape_type != ShapeType::Structure {
            return Err(Error::malformed(
                FILE,
                &at("members"),
                "only structures have members",
            ));
        }
        for required in &shape.required {
            if shape.members.get(required).is_none() {
                return Err(Error::malformed(
                    FILE,
                    &at("required"),
                    format!("required member `{required}` is not a member"),
                ));
            }
        }
        if let Some(payload) = &shape.payload
            && shape.members.get(payload).is_none()
        {
            return Err(Error::malformed(
                FILE,
                &at("payload"),
                format!("payload member `{payload}` is not a member"),
            ));
        }
        for (member_name, member) in shape.members.iter() {
            let member_at = |key: &str| format!("shapes.{name}.members.{member_name}.{key}");
            if member.eventstream == Some(true)
                || model.shapes[&member.shape].eventstream == Some(true)
            {
                return Err(Error::unsupported(
                    FILE,
                    &member_at("shape"),
                    "an event stream",
                ));
            }
            if let Some(format) = &member.timestamp_format {
                parse_timestamp_format(format)
                    .map_err(|msg| Error::malformed(FILE, &member_at("timestampFormat"), msg))?;
            }
            if let Some(location) = &member.location
                && !matches!(
                    location.as_str(),
                    "uri" | "querystring" | "header" | "headers" | "statusCode"
                )
            {
                return Err(Error::malformed(
                    FILE,
                    &member_at("location"),
                    format!("unknown location `{location}`"),
                ));
            }
        }
    }
    Ok(())
}

fn parse_timestamp_format(format: &str) -> Result<TimestampFormat, String> {
    match format {
        "iso8601" => Ok(TimestampFormat::Iso8601),
        "rfc822" => Ok(TimestampFormat::HttpDate),
        "unixTimestamp" => Ok(TimestampFormat::EpochSeconds),
        other => Err(format!(
            "unknown timestamp format `{other}` (expected iso8601, rfc822 or unixTimestamp)"
        )),
    }
}

/// Which shapes can be reached from operation inputs and from outputs or errors, and which
/// are nested inside them (reached through a member, so written or read as JSON values).
struct Reachability {
    from_input: BTreeSet<String>,
    from_output: BTreeSet<String>,
    nested_in_input: BTreeSet<String>,
    nested_in_output: BTreeSet<String>,
}

impl Reachability {
    fn compute(model: &ServiceModel) -> Self {
        let inputs = model
            .operations
            .values()
            .filter_map(|op| op.input.as_ref().map(|io| io.shape.as_str()));
        let outputs = model.operations.values().flat_map(|op| {
            op.output
                .iter()
                .map(|io| io.shape.as_str())
                .chain(op.errors.iter().map(|e| e.shape.as_str()))
        });
        // Exceptions are outputs even when no operation lists them.
        let exceptions = model
            .shapes
            .iter()
            .filter(|(_, s)| s.exception == Some(true))
            .map(|(name, _)| name.as_str());
        let from_input = closure(model, inputs);
        let from_output = closure(model, outputs.chain(exceptions));
        let member_targets = |roots: &BTreeSet<String>| {
            let targets: Vec<&str> = roots
                .iter()
                .filter_map(|name| model.shapes.get(name))
                .flat_map(|shape| shape.members.iter().map(|(_, m)| m.shape.as_str()))
                .collect();
            closure(model, targets.into_iter())
        };
        Self {
            nested_in_input: member_targets(&from_input),
            nested_in_output: member_targets(&from_output),
            from_input,
            from_output,
        }
    }
}

/// All shapes reachable from `roots` through members, elements, keys and values.
pub(super) fn closure<'a>(
    model: &'a ServiceModel,
    roots: impl Iterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&str> = roots.collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.to_owned()) {
            continue;
        }
        if let Some(shape) = model.shapes.get(name) {
            todo.extend(shape.members.iter().map(|(_, m)| m.shape.as_str()));
            todo.extend(
                [&shape.member, &shape.key, &shape.value]
                    .into_iter()
                    .flatten()
                    .map(|r| r.shape.as_str()),
            );
        }
    }
    seen
}

/// Whether a shape becomes a Rust item rather than mapping to an existing type.
fn is_item(shape: &model::Shape) -> bool {
    match shape.shape_type {
        ShapeType::Structure => shape.document != Some(true),
        ShapeType::String => shape.enum_values.is_some(),
        _ => false,
    }
}

/// Chooses type, builder and module names for every item shape.
///
/// Candidates are the UpperCamelCase of the model names. A candidate that is a prelude, std
/// or crate name (or the name of a per-operation error type) is prefixed with the service
/// name (`Result` -> `SecurityHubResult`). Shapes are then served in an order that lets a
/// shape whose model name already is its candidate keep it, so adding `errorMessage` next to
/// `ErrorMessage` in a model update never renames the existing type.
fn name_items(
    model: &ServiceModel,
    prefix: &str,
    op_names: &BTreeMap<String, OperationNames>,
) -> BTreeMap<String, ItemName> {
    let op_error_names: BTreeSet<&str> = op_names.values().map(|n| n.error_type.as_str()).collect();
    let mut wanted: Vec<(bool, &str, String)> = model
        .shapes
        .iter()
        .filter(|(_, shape)| is_item(shape))
        .map(|(name, _)| {
            let camel = naming::upper_camel(name);
            let reserved = naming::RESERVED_TYPE_NAMES.contains(&camel.as_str())
                || op_error_names.contains(camel.as_str());
            let candidate = if reserved {
                format!("{prefix}{camel}")
            } else {
                camel
            };
            (candidate != *name, name.as_str(), candidate)
        })
        .collect();
    wanted.sort();

    let mut types = Namespace::with_reserved(naming::RESERVED_TYPE_NAMES.iter().copied());
    for name in &op_error_names {
        types.reserve(name);
    }
    let mut modules = naming::module_namespace(&["types", "builders"]);
    let mut items = BTreeMap::new();
    for (_, model_name, candidate) in wanted {
        let type_name = types.claim(&candidate, "");
        let module = modules.claim(&naming::module_name(&type_name), "_");
        items.insert(
            model_name.to_owned(),
            ItemName {
                builder_name: format!("{type_name}Builder"),
                type_name,
                module,
            },
        );
    }
    items
}

/// A unique snake_case stem per shape for protocol functions: an item's module name, else the
/// snake_case of the shape name (canonical names first, like everywhere).
fn name_fn_stems(
    model: &ServiceModel,
    items: &BTreeMap<String, ItemName>,
) -> BTreeMap<String, String> {
    let mut stems = Namespace::new();
    for item in items.values() {
        stems.reserve(item.module.trim_end_matches('_'));
    }
    let others: Vec<&String> = model
        .shapes
        .keys()
        .filter(|name| !items.contains_key(*name))
        .collect();
    let wanted: Vec<(String, bool)> = others
        .iter()
        .map(|name| {
            let snake = naming::snake(name);
            let canonical = snake == **name;
            (snake, canonical)
        })
        .collect();
    let claimed = naming::claim_in_order(&mut stems, &wanted, "_");
    let mut out: BTreeMap<String, String> = items
        .iter()
        .map(|(name, item)| (name.clone(), item.module.trim_end_matches('_').to_owned()))
        .collect();
    out.extend(others.into_iter().cloned().zip(claimed));
    out
}

/// Rust names of an operation: its module (and client method) and its error type.
struct OperationNames {
    snake: String,
    error_type: String,
}

/// Names every operation; an operation whose model name is canonical UpperCamelCase keeps its
/// names when a look-alike (`GetFOO` next to `GetFoo`) appears.
fn name_operations(model: &ServiceModel) -> BTreeMap<String, OperationNames> {
    let canonical = |name: &str| naming::upper_camel(name) == name;
    let snakes: Vec<(String, bool)> = model
        .operations
        .keys()
        .map(|name| (naming::module_name(name), canonical(name)))
        .collect();
    let snakes =
        naming::claim_in_order(&mut naming::module_namespace(&["operation"]), &snakes, "_");
    let errors: Vec<(String, bool)> = model
        .operations
        .keys()
        .map(|name| {
            (
                format!("{}Error", naming::upper_camel(name)),
                canonical(name),
            )
        })
        .collect();
    let mut error_types = Namespace::with_reserved(naming::RESERVED_TYPE_NAMES.iter().copied());
    let errors = naming::claim_in_order(&mut error_types, &errors, "");
    model
        .operations
        .keys()
        .zip(snakes.into_iter().zip(errors))
        .map(|(name, (snake, error_type))| (name.clone(), OperationNames { snake, error_type }))
        .collect()
}

/// Members to box: `(holder, member)` pairs whose target is in the holder's cycle.
fn boxed_members(model: &ServiceModel) -> BTreeSet<(String, String)> {
    let is_record = |name: &str| {
        model
            .shapes
            .get(name)
            .is_some_and(|s| s.shape_type == ShapeType::Structure && s.document != Some(true))
    };
    let mut graph: Graph = BTreeMap::new();
    for (name, shape) in &model.shapes {
        if !is_record(name) {
            continue;
        }
        let targets = graph.entry(name.as_str()).or_default();
        for (_, member) in shape.members.iter() {
            if is_record(&member.shape) {
                targets.insert(member.shape.as_str());
            }
        }
    }
    let component = recursion::components(&graph);
    let mut boxed = BTreeSet::new();
    for (name, shape) in &model.shapes {
        for (member_name, member) in shape.members.iter() {
            if let (Some(a), Some(b)) = (
                component.get(name.as_str()),
                component.get(member.shape.as_str()),
            ) && a == b
            {
                boxed.insert((name.clone(), member_name.clone()));
            }
        }
    }
    boxed
}

/// The variant of an error in error enums: the exception's type name, unless that is one of
/// the variants every error enum has.
fn error_variant(type_name: &str) -> String {
    if ["Unhandled", "Validation", "Response"].contains(&type_name) {
        format!("{type_name}Error")
    } else {
        type_name.to_owned()
    }
}

/// The wanted variant name for an enum value or union member, and whether the model name
/// already is that name. `Self` and `Unknown` are taken (a keyword, the catch-all variant).
fn variant_name(model_name: &str) -> (String, bool) {
    let mut wanted = naming::upper_camel(model_name);
    if wanted == "Self" || wanted == "Unknown" {
        wanted.push_str("Value");
    }
    let canonical = wanted == model_name;
    (wanted, canonical)
}

/// Whether members become struct fields (of an exception or not) or union variants.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MemberKind {
    Field { exception: bool },
    Variant,
}

/// The Rust names of a structure's or union's members, chosen together.
struct MemberNames {
    fields: Vec<String>,
    setters: Vec<String>,
    option_setters: Vec<String>,
    /// Empty unless the holder is a union.
    variants: Vec<String>,
}

impl MemberNames {
    /// Fields first (a member whose model name is already snake_case keeps its field name),
    /// then every value setter, then every `set_` setter, so one member's `Option` setter can
    /// never take the name another member's value setter wants.
    fn choose(shape: &model::Shape, union: bool, exception: bool, operation_input: bool) -> Self {
        let wanted_fields: Vec<(String, bool)> = shape
            .members
            .iter()
            .map(|(name, _)| {
                let snake = naming::snake(name);
                let canonical = snake == *name;
                (naming::escape_keyword(&snake), canonical)
            })
            .collect();
        // Exceptions carry the response's error metadata in a field of their own.
        let reserved: &[&str] = if exception {
            &["meta", "set_meta"]
        } else {
            &[]
        };
        let fields = naming::claim_in_order(
            &mut Namespace::with_reserved(reserved.iter().copied()),
            &wanted_fields,
            "_",
        );
        // An operation input's setters also appear on the client's fluent builder.
        let fluent: &[&str] = if operation_input {
            naming::RESERVED_FLUENT_METHODS
        } else {
            &[]
        };
        let taken =
            |name: &str| naming::RESERVED_BUILDER_METHODS.contains(&name) || fluent.contains(&name);
        let mut methods = Namespace::with_reserved(
            naming::RESERVED_BUILDER_METHODS
                .iter()
                .chain(fluent)
                .chain(reserved)
                .copied(),
        );
        let value_setters: Vec<(String, bool)> = fields
            .iter()
            .zip(&wanted_fields)
            .map(|(field, (_, canonical))| {
                let plain = naming::unraw(field);
                let wanted = if taken(plain) {
                    format!("{plain}_value")
                } else {
                    field.clone()
                };
                (wanted, *canonical)
            })
            .collect();
        let setters = naming::claim_in_order(&mut methods, &value_setters, "_");
        let option_wanted: Vec<(String, bool)> = fields
            .iter()
            .zip(&wanted_fields)
            .map(|(field, (_, canonical))| (format!("set_{}", naming::unraw(field)), *canonical))
            .collect();
        let option_setters = naming::claim_in_order(&mut methods, &option_wanted, "_");
        let variants = if union {
            let wanted: Vec<(String, bool)> = shape
                .members
                .iter()
                .map(|(name, _)| variant_name(name))
                .collect();
            naming::claim_in_order(&mut Namespace::with_reserved(["Unknown"]), &wanted, "")
        } else {
            Vec::new()
        };
        Self {
            fields,
            setters,
            option_setters,
            variants,
        }
    }
}

/// Context for lowering one shape.
struct Lowering<'a> {
    model: &'a ServiceModel,
    items: &'a BTreeMap<String, ItemName>,
    fn_stems: &'a BTreeMap<String, String>,
    boxed: &'a BTreeSet<(String, String)>,
    reach: &'a Reachability,
}

impl Lowering<'_> {
    fn shape(&self, name: &str, shape: &model::Shape) -> Result<Shape, Error> {
        let kind = match (scalar(shape), shape.shape_type) {
            (Some(scalar), _) => ShapeKind::Scalar(scalar),
            (None, ShapeType::String) => ShapeKind::Enum(self.enum_shape(shape)),
            (None, ShapeType::Structure) if shape.union == Some(true) => ShapeKind::Union(Union {
                members: self.members(name, shape, MemberKind::Variant)?,
            }),
            (None, ShapeType::Structure) => ShapeKind::Structure(self.structure(name, shape)?),
            (None, ShapeType::List) => ShapeKind::List(ListShape {
                member: target_of(&shape.member).to_owned(),
                sparse: shape.sparse == Some(true),
            }),
            (None, ShapeType::Map) => ShapeKind::Map(MapShape {
                key: target_of(&shape.key).to_owned(),
                value: target_of(&shape.value).to_owned(),
                sparse: shape.sparse == Some(true),
            }),
            _ => {
                return Err(Error::unsupported(
                    FILE,
                    &format!("shapes.{name}.type"),
                    "this shape type",
                ));
            }
        };
        Ok(Shape {
            name: name.to_owned(),
            kind,
            item: self.items.get(name).cloned(),
            fn_stem: self.fn_stems.get(name).cloned().unwrap_or_default(),
            docs: shape
                .documentation
                .as_deref()
                .map(html_to_markdown)
                .unwrap_or_default(),
            sensitive: shape.sensitive == Some(true),
            deprecated: deprecation(
                shape.deprecated,
                &shape.deprecated_message,
                &shape.deprecated_since,
            ),
            constraints: constraints(shape),
            in_output: self.reach.from_output.contains(name),
            in_input: self.reach.from_input.contains(name),
            nested_in_input: self.reach.nested_in_input.contains(name),
            nested_in_output: self.reach.nested_in_output.contains(name),
        })
    }

    fn enum_shape(&self, shape: &model::Shape) -> EnumShape {
        let mut seen = BTreeSet::new();
        let wires: Vec<&String> = shape
            .enum_values
            .iter()
            .flatten()
            .filter(|wire| seen.insert(wire.as_str()))
            .collect();
        let wanted: Vec<(String, bool)> = wires.iter().map(|wire| variant_name(wire)).collect();
        let variants =
            naming::claim_in_order(&mut Namespace::with_reserved(["Unknown"]), &wanted, "");
        let values = wires
            .into_iter()
            .zip(variants)
            .map(|(wire, variant)| EnumValue {
                wire: wire.clone(),
                variant,
            })
            .collect();
        EnumShape { values }
    }

    fn structure(&self, name: &str, shape: &model::Shape) -> Result<Structure, Error> {
        // Error traits live on the shape, or (in older models) on the operations' `errors`
        // entries that name it; a shape any operation lists as an error is an error.
        let references = self
            .model
            .operations
            .values()
            .flat_map(|op| &op.errors)
            .filter(|e| e.shape == name);
        let mut listed_as_error = false;
        let mut traits = shape.error.clone().unwrap_or_default();
        for reference in references {
            listed_as_error = true;
            if let Some(inline) = &reference.error {
                traits.code = traits.code.or_else(|| inline.code.clone());
                traits.http_status_code = traits.http_status_code.or(inline.http_status_code);
                traits.sender_fault = traits.sender_fault.or(inline.sender_fault);
            }
        }
        let is_error = shape.exception == Some(true) || shape.error.is_some() || listed_as_error;
        let error = is_error.then(|| ErrorInfo {
            code: traits.code.clone().unwrap_or_else(|| name.to_owned()),
            variant: self
                .items
                .get(name)
                .map(|item| error_variant(&item.type_name))
                .unwrap_or_default(),
            http_status: traits.http_status_code,
            fault: if shape.fault == Some(true) {
                Fault::Server
            } else {
                Fault::Client
            },
            retryable: shape.retryable.as_ref().map(|r| Retryable {
                throttling: r.throttling == Some(true),
            }),
        });
        let ops_with = |pick: fn(&model::Operation) -> Option<&model::OperationIo>| {
            self.model
                .operations
                .iter()
                .filter(|(_, op)| pick(op).is_some_and(|io| io.shape == name))
                .map(|(op_name, _)| op_name.clone())
                .collect::<Vec<_>>()
        };
        Ok(Structure {
            members: self.members(
                name,
                shape,
                MemberKind::Field {
                    exception: is_error,
                },
            )?,
            payload: shape.payload.clone(),
            error,
            input_of: ops_with(|op| op.input.as_ref()),
            output_of: ops_with(|op| op.output.as_ref()),
        })
    }

    fn members(
        &self,
        holder: &str,
        shape: &model::Shape,
        kind: MemberKind,
    ) -> Result<Vec<Member>, Error> {
        let in_output = self.reach.from_output.contains(holder);
        let union = kind == MemberKind::Variant;
        let operation_input = self
            .model
            .operations
            .values()
            .any(|op| op.input.as_ref().is_some_and(|io| io.shape == holder));
        let names = MemberNames::choose(
            shape,
            union,
            kind == MemberKind::Field { exception: true },
            operation_input,
        );
        let mut members = Vec::new();
        for (i, (member_name, member)) in shape.members.iter().enumerate() {
            let path = format!("shapes.{holder}.members.{member_name}");
            let target = &self.model.shapes[&member.shape];
            let field = names.fields[i].clone();
            let setter = names.setters[i].clone();
            let option_setter = names.option_setters[i].clone();
            let variant = names.variants.get(i).cloned().unwrap_or_default();
            let required =
                shape.required.iter().any(|r| r == member_name) || member.required == Some(true);
            let idempotency_token = member.idempotency_token == Some(true);
            let mut docs = member
                .documentation
                .as_deref()
                .map(html_to_markdown)
                .unwrap_or_default();
            if docs.is_empty() && !is_item(target) {
                docs = target
                    .documentation
                    .as_deref()
                    .map(html_to_markdown)
                    .unwrap_or_default();
            }
            members.push(Member {
                name: member_name.clone(),
                field,
                setter,
                option_setter,
                variant,
                target: member.shape.clone(),
                ty: self.rust_type(&member.shape, &path, &mut BTreeSet::new())?,
                required,
                optional: union || !required || in_output || idempotency_token,
                boxed: self
                    .boxed
                    .contains(&(holder.to_owned(), member_name.clone())),
                binding: binding(member_name, member, shape, target),
                json_name: member
                    .location_name
                    .clone()
                    .unwrap_or_else(|| member_name.clone()),
                docs,
                sensitive: member.sensitive == Some(true) || self.sensitive_value(&member.shape, 0),
                deprecated: deprecation(
                    member.deprecated,
                    &member.deprecated_message,
                    &member.deprecated_since,
                ),
                idempotency_token,
                jsonvalue: member.jsonvalue == Some(true),
                timestamp_format: member
                    .timestamp_format
                    .as_deref()
                    .or(target.timestamp_format.as_deref())
                    .and_then(|f| parse_timestamp_format(f).ok()),
                host_label: member.host_label == Some(true),
                constraints: constraints(target),
                allowed_values: member.enum_values.clone().unwrap_or_default(),
            });
        }
        Ok(members)
    }

    /// Whether a value of this shape must be redacted by its holder: the shape is sensitive,
    /// or it is a list or map of sensitive values. Structures redact themselves.
    fn sensitive_value(&self, name: &str, depth: usize) -> bool {
        let Some(shape) = self.model.shapes.get(name) else {
            return false;
        };
        // Structures and unions redact themselves; enums and scalars are redacted by holders.
        if shape.sensitive == Some(true) && shape.shape_type != ShapeType::Structure {
            return true;
        }
        if depth > 32 || shape.shape_type == ShapeType::Structure {
            return false;
        }
        [&shape.member, &shape.key, &shape.value]
            .into_iter()
            .flatten()
            .any(|r| self.sensitive_value(&r.shape, depth + 1))
    }

    /// The Rust type of a value of shape `name`; `visiting` catches lists or maps that contain
    /// themselves with no structure in between (an infinitely nested type).
    fn rust_type(
        &self,
        name: &str,
        path: &str,
        visiting: &mut BTreeSet<String>,
    ) -> Result<RustType, Error> {
        let shape = &self.model.shapes[name];
        if let Some(item) = self.items.get(name) {
            return Ok(RustType::Named(item.type_name.clone()));
        }
        if !visiting.insert(name.to_owned()) {
            return Err(Error::malformed(
                FILE,
                path,
                format!(
                    "shape `{name}` contains itself through lists or maps only, which has no finite type"
                ),
            ));
        }
        let ty = match shape.shape_type {
            ShapeType::List => {
                let member = target_of(&shape.member);
                RustType::List {
                    element: Box::new(self.rust_type(member, path, visiting)?),
                    sparse: shape.sparse == Some(true),
                }
            }
            ShapeType::Map => {
                let key = target_of(&shape.key);
                let value = target_of(&shape.value);
                RustType::Map {
                    key: Box::new(self.rust_type(key, path, visiting)?),
                    value: Box::new(self.rust_type(value, path, visiting)?),
                    sparse: shape.sparse == Some(true),
                }
            }
            _ => match scalar(shape) {
                Some(scalar) => RustType::Scalar(scalar),
                None => {
                    return Err(Error::unsupported(
                        FILE,
                        path,
                        format!("the type of shape `{name}`"),
                    ));
                }
            },
        };
        visiting.remove(name);
        Ok(ty)
    }
}

/// The scalar a shape maps to, or `None` for enums, structures, unions, lists and maps.
fn scalar(shape: &model::Shape) -> Option<Scalar> {
    Some(match shape.shape_type {
        ShapeType::String if shape.enum_values.is_none() => Scalar::String,
        ShapeType::Byte => Scalar::Byte,
        ShapeType::Short => Scalar::Short,
        ShapeType::Integer => Scalar::Integer,
        ShapeType::Long => Scalar::Long,
        ShapeType::Float => Scalar::Float,
        ShapeType::Double => Scalar::Double,
        ShapeType::Boolean => Scalar::Boolean,
        ShapeType::Blob => Scalar::Blob {
            streaming: shape.streaming == Some(true),
        },
        ShapeType::Timestamp => Scalar::Timestamp {
            format: shape
                .timestamp_format
                .as_deref()
                .and_then(|f| parse_timestamp_format(f).ok()),
        },
        ShapeType::Structure if shape.document == Some(true) => Scalar::Document,
        _ => return None,
    })
}

/// The shape a list element, map key or map value refers to (`""` when absent: lowering runs
/// after `check_shapes`, which rejects lists and maps without them).
fn target_of(reference: &Option<model::ShapeRef>) -> &str {
    reference
        .as_ref()
        .map(|r| r.shape.as_str())
        .unwrap_or_default()
}

/// Where a member travels, from its `location` and the holder's `payload`.
fn binding(
    member_name: &str,
    member: &model::Member,
    holder: &model::Shape,
    target: &model::Shape,
) -> HttpBinding {
    let wire = member
        .location_name
        .clone()
        .unwrap_or_else(|| member_name.to_owned());
    match member.location.as_deref() {
        Some("uri") => HttpBinding::Label { name: wire },
        Some("querystring") if target.shape_type == ShapeType::Map => HttpBinding::QueryMap,
        Some("querystring") => HttpBinding::Query { name: wire },
        Some("header") => HttpBinding::Header { name: wire },
        Some("headers") => HttpBinding::PrefixHeaders {
            prefix: member.location_name.clone().unwrap_or_default(),
        },
        Some("statusCode") => HttpBinding::StatusCode,
        _ if holder.payload.as_deref() == Some(member_name) => HttpBinding::Payload,
        _ => HttpBinding::Body { json_name: wire },
    }
}

fn constraints(shape: &model::Shape) -> Constraints {
    Constraints {
        min: shape.min.clone(),
        max: shape.max.clone(),
        pattern: shape.pattern.clone(),
    }
}

/// Required members must not form a cycle: no finite value could ever be built.
fn check_required_cycles(shapes: &BTreeMap<String, Shape>) -> Result<(), Error> {
    let mut graph: Graph = BTreeMap::new();
    for (name, shape) in shapes {
        if let ShapeKind::Structure(structure) = &shape.kind {
            let targets = graph.entry(name.as_str()).or_default();
            for member in structure.members.iter().filter(|m| !m.optional) {
                if matches!(
                    shapes.get(&member.target).map(|s| &s.kind),
                    Some(ShapeKind::Structure(_))
                ) {
                    targets.insert(member.target.as_str());
                }
            }
        }
    }
    let component = recursion::components(&graph);
    for (name, targets) in &graph {
        for target in targets {
            if component.get(name) == component.get(target) {
                let member = match &shapes[*name].kind {
                    ShapeKind::Structure(s) => s
                        .members
                        .iter()
                        .find(|m| !m.optional && m.target == *target)
                        .map(|m| m.name.clone()),
                    _ => None,
                }
                .unwrap_or_default();
                return Err(Error::malformed(
                    FILE,
                    &format!("shapes.{name}.required"),
                    format!(
                        "required member `{member}` (shape `{target}`) leads back to `{name}` through required members only, so no finite value can be built"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn lower_operation(
    name: &str,
    op: &model::Operation,
    model: &ServiceModel,
    names: &OperationNames,
) -> Result<Operation, Error> {
    let at = |key: &str| format!("operations.{name}.{key}");
    let uri = RequestUri::parse(&op.http.request_uri)
        .map_err(|msg| Error::malformed(FILE, &at("http.requestUri"), msg))?;
    let method = op.http.method.to_ascii_uppercase();
    if !matches!(
        method.as_str(),
        "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS"
    ) {
        return Err(Error::malformed(
            FILE,
            &at("http.method"),
            format!("unknown HTTP method `{}`", op.http.method),
        ));
    }
    // Every label is bound by exactly one `uri` member of the input, and vice versa.
    let input = op.input.as_ref().map(|io| &model.shapes[&io.shape]);
    let uri_members: Vec<(String, String)> = input
        .map(|shape| {
            shape
                .members
                .iter()
                .filter(|(_, m)| m.location.as_deref() == Some("uri"))
                .map(|(n, m)| {
                    (
                        n.clone(),
                        m.location_name.clone().unwrap_or_else(|| n.clone()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for (label, _) in uri.labels() {
        let bound = uri_members.iter().filter(|(_, wire)| wire == label).count();
        if bound != 1 {
            return Err(Error::malformed(
                FILE,
                &at("http.requestUri"),
                format!(
                    "label `{{{label}}}` is bound by {bound} input members (expected exactly one)"
                ),
            ));
        }
    }
    for (member, wire) in &uri_members {
        if !uri.labels().any(|(label, _)| label == wire) {
            let input_name = op
                .input
                .as_ref()
                .map(|io| io.shape.as_str())
                .unwrap_or_default();
            return Err(Error::malformed(
                FILE,
                &format!("shapes.{input_name}.members.{member}.locationName"),
                format!(
                    "uri member has no `{{{wire}}}` label in `{}`",
                    op.http.request_uri
                ),
            ));
        }
    }
    // Every `{label}` of the host prefix is a `hostLabel` member of the input.
    if let Some(prefix) = op.endpoint.as_ref().map(|e| e.host_prefix.as_str()) {
        for label in prefix.split('{').skip(1).map(|rest| rest.split('}').next()) {
            let bound = label
                .zip(input)
                .and_then(|(label, shape)| shape.members.get(label))
                .is_some_and(|m| m.host_label == Some(true));
            if !bound {
                return Err(Error::malformed(
                    FILE,
                    &at("endpoint.hostPrefix"),
                    format!(
                        "`{prefix}`: label `{{{}}}` is not a `hostLabel` member of the input",
                        label.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(Operation {
        name: name.to_owned(),
        snake_name: names.snake.clone(),
        error_type_name: names.error_type.clone(),
        input: op.input.as_ref().map(|io| io.shape.clone()),
        output: op.output.as_ref().map(|io| io.shape.clone()),
        errors: unique_errors(op),
        method,
        uri,
        response_code: op.http.response_code.unwrap_or(200),
        docs: op
            .documentation
            .as_deref()
            .map(html_to_markdown)
            .unwrap_or_default(),
        deprecated: deprecation(op.deprecated, &op.deprecated_message, &op.deprecated_since),
        auth: op.auth.clone().unwrap_or_default(),
        authtype: op.authtype.clone().or_else(|| op.http.authtype.clone()),
        host_prefix: op.endpoint.as_ref().map(|e| e.host_prefix.clone()),
        unsigned_payload: op.unsigned_payload == Some(true),
        idempotent: op.idempotent == Some(true),
        readonly: op.readonly == Some(true),
        paginator: None,
    })
}

/// The operation's error shapes in model order, each once (a few models list one twice).
fn unique_errors(op: &crate::model::Operation) -> Vec<String> {
    let mut errors: Vec<String> = Vec::with_capacity(op.errors.len());
    for error in &op.errors {
        if !errors.contains(&error.shape) {
            errors.push(error.shape.clone());
        }
    }
    errors
}
