//! The top level of `service-2.json`: version, metadata, operations and shapes.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Operation, Shape};

/// A whole `service-2.json` document.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceModel {
    /// Format version of the file (`"2.0"`).
    pub version: Option<String>,
    /// Service-wide facts: protocol, names, signing.
    pub metadata: Metadata,
    /// Operations by name (a duplicate name is an error).
    #[serde(default, deserialize_with = "super::shape::unique_map")]
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name (a duplicate name is an error).
    #[serde(default, deserialize_with = "super::shape::unique_map")]
    pub shapes: BTreeMap<String, Shape>,
    /// Service documentation (HTML).
    pub documentation: Option<String>,
    /// Example requests (older models inline them; ignored by the generator).
    pub examples: Option<serde_json::Value>,
}

/// The `metadata` object of a model.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// API version, such as `2014-06-30`.
    pub api_version: Option<String>,
    /// Host name prefix of the service's endpoints.
    pub endpoint_prefix: Option<String>,
    /// JSON version for the `json` protocol (also present on some rest-json models).
    pub json_version: Option<String>,
    /// Wire protocol: `rest-json`, `json`, `rest-xml`, `query`, `ec2`, ...
    pub protocol: Option<String>,
    /// Protocols the service supports, in preference order.
    pub protocols: Option<Vec<String>>,
    /// Full marketing name, such as `Amazon Cognito Sync`.
    pub service_full_name: Option<String>,
    /// Short name, such as `Amazon SES`.
    pub service_abbreviation: Option<String>,
    /// Stable service identifier, such as `Cognito Sync`.
    pub service_id: Option<String>,
    /// Signature version: `v4`, `bearer`, ...
    pub signature_version: Option<String>,
    /// SigV4 signing name when it differs from the endpoint prefix.
    pub signing_name: Option<String>,
    /// Unique id of the model, such as `cognito-sync-2014-06-30`.
    pub uid: Option<String>,
    /// Target prefix for the `json` protocol.
    pub target_prefix: Option<String>,
    /// Auth schemes in preference order, such as `aws.auth#sigv4`.
    pub auth: Option<Vec<String>>,
    /// Global endpoint host, for the few services that have one.
    pub global_endpoint: Option<String>,
    /// Internal service name used by some models.
    pub rip_service_name: Option<String>,
    /// Checksum format (glacier).
    pub checksum_format: Option<String>,
    /// XML namespace for XML protocols.
    pub xml_namespace: Option<String>,
    /// Query-compatibility flag of json services migrated from query.
    pub aws_query_compatible: Option<serde_json::Value>,
    /// Protocol settings, such as HTTP/2 requirements.
    pub protocol_settings: Option<ProtocolSettings>,
    /// Whole-service deprecation flag.
    pub deprecated: Option<bool>,
    /// Message accompanying a whole-service deprecation.
    pub deprecated_message: Option<String>,
}

/// `metadata.protocolSettings`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProtocolSettings {
    /// HTTP/2 use: `eventstream` or `optional`.
    pub h2: Option<String>,
}
