//! Shapes and the references (members) between them.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// The kind of a shape, from its `type` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ShapeType {
    /// A record of named members (also unions, documents and exceptions).
    Structure,
    /// An ordered sequence.
    List,
    /// String-keyed map.
    Map,
    /// Text, possibly with an `enum` list of allowed values.
    String,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// 16-bit signed integer (not used by rest-json models today).
    Short,
    /// 8-bit signed integer (not used by rest-json models today).
    Byte,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// Arbitrary-precision integer (not used by rest-json models today).
    BigInteger,
    /// Arbitrary-precision decimal (not used by rest-json models today).
    BigDecimal,
    /// True or false.
    Boolean,
    /// Bytes.
    Blob,
    /// An instant in time.
    Timestamp,
}

/// A shape definition from the model's `shapes` map.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// The shape's kind.
    #[serde(rename = "type")]
    pub shape_type: ShapeType,
    /// Members of a structure, in model order.
    #[serde(default)]
    pub members: OrderedMap<Member>,
    /// Names of required members.
    #[serde(default)]
    pub required: Vec<String>,
    /// Documentation (HTML).
    pub documentation: Option<String>,
    /// Allowed values of an enum string.
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// Regular expression a string must match.
    pub pattern: Option<String>,
    /// Minimum length, size or value.
    pub min: Option<serde_json::Number>,
    /// Maximum length, size or value.
    pub max: Option<serde_json::Number>,
    /// The value must not be logged.
    pub sensitive: Option<bool>,
    /// The shape is deprecated.
    pub deprecated: Option<bool>,
    /// Why the shape is deprecated.
    pub deprecated_message: Option<String>,
    /// Since when the shape is deprecated.
    pub deprecated_since: Option<String>,
    /// The structure is an error.
    pub exception: Option<bool>,
    /// The error is the server's fault.
    pub fault: Option<bool>,
    /// Error traits: code and HTTP status.
    pub error: Option<ErrorTrait>,
    /// Retry classification of an error.
    pub retryable: Option<RetryableTrait>,
    /// Member sent or received as the whole HTTP body.
    pub payload: Option<String>,
    /// The structure is a tagged union: exactly one member is set.
    pub union: Option<bool>,
    /// The structure is a free-form JSON document.
    pub document: Option<bool>,
    /// The structure is an event of an event stream.
    pub event: Option<bool>,
    /// The structure is an event stream (a union of events).
    pub eventstream: Option<bool>,
    /// The blob is streamed rather than buffered.
    pub streaming: Option<bool>,
    /// The streamed body needs a known length.
    pub requires_length: Option<bool>,
    /// Wire format of a timestamp: `iso8601`, `unixTimestamp` or `rfc822`.
    pub timestamp_format: Option<String>,
    /// Element of a list.
    pub member: Option<ShapeRef>,
    /// Key of a map.
    pub key: Option<ShapeRef>,
    /// Value of a map.
    pub value: Option<ShapeRef>,
    /// Elements may be null.
    pub sparse: Option<bool>,
    /// XML: the list or map has no wrapping element.
    pub flattened: Option<bool>,
    /// XML element name of a list's members.
    pub location_name: Option<String>,
    /// Legacy nullability hint.
    #[serde(rename = "box")]
    pub boxed: Option<bool>,
    /// XML: wrapper element.
    pub wrapper: Option<bool>,
    /// XML namespace.
    pub xml_namespace: Option<XmlNamespace>,
    /// XML member order.
    pub xml_order: Option<Vec<String>>,
    /// Added by botocore rather than the service team.
    pub synthetic: Option<bool>,
    /// Link to the shape's documentation page.
    pub documentation_url: Option<String>,
    /// Whether the shape has a idempotent-operation marker (rare).
    pub idempotent: Option<bool>,
}

/// A reference to a shape: a structure member, list element, map key or value, or an
/// operation's input/output.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Name of the target shape.
    pub shape: String,
    /// HTTP binding: `uri`, `querystring`, `header`, `headers` or `statusCode`.
    pub location: Option<String>,
    /// Wire name: the label, query key, header name or JSON key.
    pub location_name: Option<String>,
    /// Documentation (HTML) of this member.
    pub documentation: Option<String>,
    /// The string holds JSON text (base64 encoded when in a header).
    pub jsonvalue: Option<bool>,
    /// Filled with a fresh token when unset.
    pub idempotency_token: Option<bool>,
    /// The member is deprecated.
    pub deprecated: Option<bool>,
    /// Why the member is deprecated.
    pub deprecated_message: Option<String>,
    /// Since when the member is deprecated.
    pub deprecated_since: Option<String>,
    /// Legacy nullability hint.
    #[serde(rename = "box")]
    pub boxed: Option<bool>,
    /// The member streams.
    pub streaming: Option<bool>,
    /// The member is the payload of an event.
    pub eventpayload: Option<bool>,
    /// The member is a header of an event.
    pub eventheader: Option<bool>,
    /// The member is an event stream.
    pub eventstream: Option<bool>,
    /// The member fills a `{label}` of the operation's host prefix.
    pub host_label: Option<bool>,
    /// The member feeds an endpoint rule-set parameter.
    pub context_param: Option<super::ContextParam>,
    /// Query protocol name.
    pub query_name: Option<String>,
    /// XML namespace.
    pub xml_namespace: Option<XmlNamespace>,
    /// XML: serialise as an attribute.
    pub xml_attribute: Option<bool>,
    /// XML: no wrapping element.
    pub flattened: Option<bool>,
    /// Wire format of a timestamp, overriding the shape's.
    pub timestamp_format: Option<String>,
    /// Inline enum values (a handful of members carry them).
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// Sensitivity on the member itself.
    pub sensitive: Option<bool>,
    /// Query protocol result wrapper.
    pub result_wrapper: Option<String>,
    /// Whether the member is marked required on the reference itself (rare).
    pub required: Option<bool>,
}

/// A list element, map key or value reference; the same keys as a member.
pub type ShapeRef = Member;

/// The `error` object of an exception shape.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    /// Error code on the wire when it differs from the shape name.
    pub code: Option<String>,
    /// HTTP status the service answers with.
    pub http_status_code: Option<u16>,
    /// The caller is at fault.
    pub sender_fault: Option<bool>,
}

/// The `retryable` object of an exception shape.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RetryableTrait {
    /// The error means the caller is being throttled.
    pub throttling: Option<bool>,
}

/// An XML namespace declaration.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct XmlNamespace {
    /// Namespace prefix.
    pub prefix: Option<String>,
    /// Namespace URI.
    pub uri: Option<String>,
}

/// A JSON object kept in document order, such as a structure's `members`.
///
/// A duplicate key is an error, not a silent overwrite.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    /// Looks up a key.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Entries in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<V>(std::marker::PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<V> {
            type Value = OrderedMap<V>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(String, V)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(OrderedMap(entries))
            }
        }

        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}

/// Deserializes a JSON object into a `BTreeMap`, rejecting duplicate keys (serde's own map
/// deserializer keeps the last one silently). Used for `shapes` and `operations`.
pub fn unique_map<'de, D, V>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let OrderedMap(entries) = OrderedMap::<V>::deserialize(deserializer)?;
    Ok(entries.into_iter().collect())
}
