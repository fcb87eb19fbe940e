//! Operations: HTTP binding, input/output/errors and per-operation traits.

use std::collections::BTreeMap;

use serde::Deserialize;

/// An operation from the model's `operations` map.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// The operation's name, such as `ListRecords`.
    pub name: String,
    /// HTTP method, URI and success status.
    pub http: HttpTrait,
    /// The input shape.
    pub input: Option<OperationIo>,
    /// The output shape.
    pub output: Option<OperationIo>,
    /// Errors the operation is modelled to return.
    #[serde(default)]
    pub errors: Vec<ErrorRef>,
    /// Documentation (HTML).
    pub documentation: Option<String>,
    /// Link to the operation's documentation page.
    pub documentation_url: Option<String>,
    /// The operation is deprecated.
    pub deprecated: Option<bool>,
    /// Why the operation is deprecated.
    pub deprecated_message: Option<String>,
    /// Since when the operation is deprecated.
    pub deprecated_since: Option<String>,
    /// Legacy auth type: `none`, `v4`, `v4-unsigned-body`, `bearer`, ...
    pub authtype: Option<String>,
    /// Auth schemes for this operation, overriding the service's.
    pub auth: Option<Vec<String>>,
    /// Host prefix prepended to the endpoint.
    pub endpoint: Option<EndpointTrait>,
    /// Flexible checksum settings.
    pub http_checksum: Option<HttpChecksum>,
    /// The request must carry a checksum.
    pub http_checksum_required: Option<bool>,
    /// The operation is idempotent.
    pub idempotent: Option<bool>,
    /// The operation only reads.
    pub readonly: Option<bool>,
    /// Another name the operation is known by.
    pub alias: Option<String>,
    /// Endpoint discovery requirement.
    pub endpointdiscovery: Option<EndpointDiscovery>,
    /// The operation is the endpoint-discovery operation.
    pub endpointoperation: Option<bool>,
    /// Endpoint rule-set parameters fixed for this operation.
    pub static_context_params: Option<BTreeMap<String, StaticContextParam>>,
    /// Endpoint rule-set parameters taken from the input by JMESPath.
    pub operation_context_params: Option<BTreeMap<String, serde_json::Value>>,
    /// Request compression encodings.
    pub requestcompression: Option<RequestCompression>,
    /// The payload is not signed.
    pub unsigned_payload: Option<bool>,
    /// The operation is internal.
    pub internalonly: Option<bool>,
}

/// The `http` object of an operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpTrait {
    /// HTTP method.
    pub method: String,
    /// Path template with `{Label}` and `{Greedy+}` labels and an optional fixed query.
    pub request_uri: String,
    /// Status of a successful response.
    pub response_code: Option<u16>,
    /// Legacy auth type on the http object.
    pub authtype: Option<String>,
}

/// An operation's `input` or `output`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationIo {
    /// Name of the shape.
    pub shape: String,
    /// Documentation (HTML) of the input or output itself.
    pub documentation: Option<String>,
    /// XML root element name.
    pub location_name: Option<String>,
    /// XML namespace.
    pub xml_namespace: Option<super::XmlNamespace>,
    /// Query protocol result wrapper.
    pub result_wrapper: Option<String>,
}

/// An entry of an operation's `errors`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorRef {
    /// Name of the exception shape.
    pub shape: String,
    /// Documentation (HTML) of when the operation returns it.
    pub documentation: Option<String>,
    /// Exception flag repeated on the reference (lambda@2014-11-11).
    pub exception: Option<bool>,
    /// Error traits repeated on the reference.
    pub error: Option<super::ErrorTrait>,
}

/// The `endpoint` object of an operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointTrait {
    /// Prefix for the host, possibly with `{Label}` placeholders.
    pub host_prefix: String,
}

/// The `httpChecksum` object of an operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    /// Member naming the request checksum algorithm.
    pub request_algorithm_member: Option<String>,
    /// The request must carry a checksum.
    pub request_checksum_required: Option<bool>,
    /// Member that asks for response validation.
    pub request_validation_mode_member: Option<String>,
    /// Algorithms the response may carry.
    pub response_algorithms: Option<Vec<String>>,
}

/// The `endpointdiscovery` object of an operation.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EndpointDiscovery {
    /// Discovery is required.
    pub required: Option<bool>,
}

/// A value of an operation's `staticContextParams`.
#[derive(Clone, Debug, Deserialize)]
pub struct StaticContextParam {
    /// The fixed value.
    pub value: serde_json::Value,
}

/// A member's `contextParam`.
#[derive(Clone, Debug, Deserialize)]
pub struct ContextParam {
    /// The rule-set parameter's name.
    pub name: String,
}

/// The `requestcompression` object of an operation.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RequestCompression {
    /// Supported encodings, such as `gzip`.
    pub encodings: Vec<String>,
}
