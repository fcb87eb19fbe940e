//! IR data types.

use std::collections::BTreeMap;

pub use super::http::{HttpBinding, RequestUri};

/// A service, resolved and named, ready for the emitters.
#[derive(Clone, Debug)]
pub struct Service {
    /// Service-wide facts.
    pub meta: ServiceMeta,
    /// Shapes by model name.
    pub shapes: BTreeMap<String, Shape>,
    /// Operations sorted by model name.
    pub operations: Vec<Operation>,
    /// Waiters from `waiters-2.json`, sorted by model name (see [`super::waiters`]).
    pub waiters: Vec<super::Waiter>,
    /// Operations of the model left out of the crate, sorted by name, with the reason.
    pub omitted_operations: Vec<OmittedOperation>,
}

/// An operation of the model that the generated crate does not offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmittedOperation {
    /// Model name of the operation.
    pub name: String,
    /// Why it is left out, as a plain-text sentence fragment for docs and reports.
    pub reason: String,
    /// The shape of the model that makes it unsupported.
    pub shape: String,
}

impl Service {
    /// Looks up a shape by model name. Lowering guarantees every reference resolves.
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// Shapes that become Rust items (structures, unions, enums), in model-name order.
    pub fn named_shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values().filter(|s| s.item.is_some())
    }
}

/// Service-wide facts from the model's metadata.
#[derive(Clone, Debug)]
pub struct ServiceMeta {
    /// Stable service id, such as `Cognito Sync`.
    pub service_id: String,
    /// Full name, such as `Amazon Cognito Sync`.
    pub full_name: String,
    /// API version, such as `2014-06-30`.
    pub api_version: String,
    /// Endpoint prefix, such as `cognito-sync`.
    pub endpoint_prefix: String,
    /// SigV4 signing name (the endpoint prefix unless the model says otherwise).
    pub signing_name: String,
    /// Model uid, when present.
    pub uid: Option<String>,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Auth schemes in preference order (`aws.auth#sigv4`, ...).
    pub auth: Vec<String>,
    /// Service documentation as Markdown.
    pub docs: String,
    /// Whole-service deprecation.
    pub deprecated: Option<Deprecation>,
    /// UpperCamelCase service name used to settle type-name collisions, such as `CognitoSync`.
    pub type_prefix: String,
}

/// The wire protocols the generator knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `rest-json`: HTTP bindings plus a JSON body.
    RestJson,
}

/// Why and since when something is deprecated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deprecation {
    /// The model's message, if any.
    pub message: Option<String>,
    /// The model's date or version, if any.
    pub since: Option<String>,
}

/// Size, length or value bounds and a pattern, as the model states them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// Minimum (length for strings, size for lists and maps, value for numbers).
    pub min: Option<serde_json::Number>,
    /// Maximum, in the same sense as `min`.
    pub max: Option<serde_json::Number>,
    /// Regular expression a string must match.
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether no constraint is set.
    pub fn is_empty(&self) -> bool {
        self.min.is_none() && self.max.is_none() && self.pattern.is_none()
    }
}

/// A shape of the model.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Name in the model.
    pub name: String,
    /// What the shape is.
    pub kind: ShapeKind,
    /// The Rust item the shape becomes; `None` for scalars, lists and maps, which map to Rust
    /// types directly.
    pub item: Option<ItemName>,
    /// snake_case stem, unique among all shapes, for the crate-private functions that write,
    /// read and validate values of the shape (`ser_<stem>`, `de_<stem>`, `validate_<stem>`).
    pub fn_stem: String,
    /// Documentation as Markdown.
    pub docs: String,
    /// The model marks the shape sensitive.
    pub sensitive: bool,
    /// Deprecation, if any.
    pub deprecated: Option<Deprecation>,
    /// Bounds and pattern.
    pub constraints: Constraints,
    /// The shape can be reached from an operation's output or error, so its `required` list is
    /// not trusted (services omit "required" members in practice).
    pub in_output: bool,
    /// The shape can be reached from an operation's input.
    pub in_input: bool,
    /// Values of the shape are written inside an input's JSON (a member target of an input,
    /// or nested in one), so it needs a JSON writer.
    pub nested_in_input: bool,
    /// Values of the shape are read inside an output's or error's JSON, so it needs a JSON
    /// reader.
    pub nested_in_output: bool,
}

/// Rust names of a shape that becomes an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemName {
    /// The type name, unique in the crate's `types` module.
    pub type_name: String,
    /// The builder's type name (structures only).
    pub builder_name: String,
    /// The private module (and file) under `types/` that defines the item.
    pub module: String,
}

/// The kinds of shapes.
#[derive(Clone, Debug)]
pub enum ShapeKind {
    /// A value mapped to a Rust or runtime type.
    Scalar(Scalar),
    /// A string with a closed list of known values.
    Enum(EnumShape),
    /// A record of members; also exceptions.
    Structure(Structure),
    /// Exactly one member set.
    Union(Union),
    /// An ordered sequence.
    List(ListShape),
    /// A string-keyed map.
    Map(MapShape),
}

/// Scalar kinds and how they travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// `String`.
    String,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `bool`.
    Boolean,
    /// Bytes; `streaming` when the model streams them.
    Blob {
        /// The blob is streamed.
        streaming: bool,
    },
    /// An instant; `format` is the shape's explicit wire format, if any.
    Timestamp {
        /// Explicit wire format.
        format: Option<TimestampFormat>,
    },
    /// Free-form JSON.
    Document,
}

/// Wire formats of timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// ISO 8601 / RFC 3339 date-time.
    Iso8601,
    /// RFC 7231 HTTP date (botocore's `rfc822`).
    HttpDate,
    /// Seconds since the epoch, possibly fractional.
    EpochSeconds,
}

/// A string shape with an `enum` list.
#[derive(Clone, Debug)]
pub struct EnumShape {
    /// Known values in model order.
    pub values: Vec<EnumValue>,
}

/// One known value of an enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// The string on the wire.
    pub wire: String,
    /// The variant name.
    pub variant: String,
}

/// A structure shape.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Members in model order.
    pub members: Vec<Member>,
    /// The member sent or received as the whole body, by model name.
    pub payload: Option<String>,
    /// Error traits, when the structure is an exception.
    pub error: Option<ErrorInfo>,
    /// Operations whose input this is, by model name.
    pub input_of: Vec<String>,
    /// Operations whose output this is, by model name.
    pub output_of: Vec<String>,
}

impl Structure {
    /// Whether `build()` can fail: some member is required and not optional in Rust.
    pub fn has_strict_members(&self) -> bool {
        self.members.iter().any(|m| !m.optional)
    }
}

/// Error facts of an exception structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The code the service sends (`error.code`, else the shape name).
    pub code: String,
    /// The variant naming this error in operation and service error enums.
    pub variant: String,
    /// HTTP status the service answers with, if modelled.
    pub http_status: Option<u16>,
    /// Whose fault the error is.
    pub fault: Fault,
    /// Retry hint, if modelled.
    pub retryable: Option<Retryable>,
}

/// Who caused an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The caller (`senderFault`, or not marked `fault`).
    Client,
    /// The service (`fault: true`).
    Server,
}

/// The model's retry hint for an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retryable {
    /// The error signals throttling.
    pub throttling: bool,
}

/// A member of a structure or union.
#[derive(Clone, Debug)]
pub struct Member {
    /// Name in the model.
    pub name: String,
    /// Rust field name (may be a raw identifier such as `r#type`).
    pub field: String,
    /// Builder method that sets the member.
    pub setter: String,
    /// Builder method that sets or clears the member from an `Option`.
    pub option_setter: String,
    /// Union variant name (unions only; empty for structures).
    pub variant: String,
    /// Target shape, by model name.
    pub target: String,
    /// The Rust type of the value (without the `Option` around optional members).
    pub ty: RustType,
    /// Required by the model.
    pub required: bool,
    /// Stored as `Option` in Rust: not required, or required but the shape is reachable from
    /// an output (where `required` is not trusted), or auto-filled (idempotency token).
    pub optional: bool,
    /// Stored behind a `Box` because it closes a cycle of structures.
    pub boxed: bool,
    /// Where the member travels in an HTTP message.
    pub binding: HttpBinding,
    /// The member's key in JSON (`locationName`, else the member name), wherever the
    /// structure is written as JSON.
    pub json_name: String,
    /// Documentation as Markdown.
    pub docs: String,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// Deprecation, if any.
    pub deprecated: Option<Deprecation>,
    /// Filled with a fresh token when unset.
    pub idempotency_token: bool,
    /// A string holding JSON text.
    pub jsonvalue: bool,
    /// Effective timestamp format when explicitly set on the member or its shape.
    pub timestamp_format: Option<TimestampFormat>,
    /// Fills a `{label}` of the host prefix.
    pub host_label: bool,
    /// Constraints of the target shape (repeated here for documentation).
    pub constraints: Constraints,
    /// Values listed inline on the member (`enum` on the reference, not the shape).
    pub allowed_values: Vec<String>,
}

/// A union shape.
#[derive(Clone, Debug)]
pub struct Union {
    /// Members (variants) in model order.
    pub members: Vec<Member>,
}

/// A list shape.
#[derive(Clone, Debug)]
pub struct ListShape {
    /// Element shape by model name.
    pub member: String,
    /// Elements may be null.
    pub sparse: bool,
}

/// A map shape.
#[derive(Clone, Debug)]
pub struct MapShape {
    /// Key shape by model name.
    pub key: String,
    /// Value shape by model name.
    pub value: String,
    /// Values may be null.
    pub sparse: bool,
}

/// The Rust type of a value, before `Option` and `Box`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType {
    /// A scalar.
    Scalar(Scalar),
    /// A generated type in the `types` module.
    Named(String),
    /// `Vec<T>`, or `Vec<Option<T>>` when sparse.
    List {
        /// Element type.
        element: Box<RustType>,
        /// Elements may be null.
        sparse: bool,
    },
    /// `BTreeMap<K, V>`, or `BTreeMap<K, Option<V>>` when sparse.
    Map {
        /// Key type.
        key: Box<RustType>,
        /// Value type.
        value: Box<RustType>,
        /// Values may be null.
        sparse: bool,
    },
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Name in the model, such as `ListRecords`.
    pub name: String,
    /// snake_case name: module under `operation/` and, later, the client method.
    pub snake_name: String,
    /// Name reserved for the operation's error enum, such as `ListRecordsError`.
    pub error_type_name: String,
    /// Input shape by model name.
    pub input: Option<String>,
    /// Output shape by model name.
    pub output: Option<String>,
    /// Modelled errors by model name, in model order.
    pub errors: Vec<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// Parsed request URI.
    pub uri: RequestUri,
    /// Status of a successful response.
    pub response_code: u16,
    /// Documentation as Markdown.
    pub docs: String,
    /// Deprecation, if any.
    pub deprecated: Option<Deprecation>,
    /// Auth schemes for this operation (empty: the service's).
    pub auth: Vec<String>,
    /// Legacy auth type (`none`, `v4-unsigned-body`, ...), if any.
    pub authtype: Option<String>,
    /// Host prefix, possibly with `{Label}`s.
    pub host_prefix: Option<String>,
    /// The payload is not signed (`unsignedPayload`): SigV4 over `UNSIGNED-PAYLOAD`.
    pub unsigned_payload: bool,
    /// The operation is idempotent.
    pub idempotent: bool,
    /// The operation only reads.
    pub readonly: bool,
    /// How the operation pages, if it does (see the `paginate` rules).
    pub paginator: Option<super::Paginator>,
}
