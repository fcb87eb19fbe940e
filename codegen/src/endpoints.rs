//! The endpoint rule set a generated client resolves endpoints with: the model's
//! `endpoint-rule-set-1.json`, checked with the runtime's interpreter so a rule set it cannot
//! run fails generation rather than the first call; or, for a model without one, a minimal
//! rule set (`https://{endpointPrefix}.{Region}.{dnsSuffix}`, or the endpoint override).

use botogen_runtime::endpoint::RuleSet;

use crate::error::Error;
use crate::ir::Service;
use crate::source::ModelFiles;

/// The file name used in error messages.
const FILE: &str = "endpoint-rule-set-1.json";

/// The rule set text to embed in the generated crate.
///
/// # Errors
///
/// The model's rule set does not parse or uses something the interpreter does not support.
pub fn rule_set_text(files: &ModelFiles, service: &Service) -> Result<String, Error> {
    let text = match &files.endpoint_rules {
        Some(text) => text.clone(),
        None => fallback(&service.meta.endpoint_prefix),
    };
    RuleSet::from_json(&text).map_err(|e| Error::malformed(FILE, "$", e.to_string()))?;
    Ok(text)
}

/// A rule set for models that ship none: the endpoint override if set, else the regional
/// endpoint of the service's prefix in the region's partition.
fn fallback(endpoint_prefix: &str) -> String {
    let prefix: String = endpoint_prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect();
    format!(
        r#"{{
  "version": "1.0",
  "parameters": {{
    "Region": {{"builtIn": "AWS::Region", "required": false, "type": "String", "documentation": "The AWS region used to dispatch the request."}},
    "Endpoint": {{"builtIn": "SDK::Endpoint", "required": false, "type": "String", "documentation": "Override the endpoint used to send this request"}}
  }},
  "rules": [
    {{"conditions": [{{"fn": "isSet", "argv": [{{"ref": "Endpoint"}}]}}], "endpoint": {{"url": {{"ref": "Endpoint"}}, "properties": {{}}, "headers": {{}}}}, "type": "endpoint"}},
    {{"conditions": [{{"fn": "isSet", "argv": [{{"ref": "Region"}}]}}, {{"fn": "aws.partition", "argv": [{{"ref": "Region"}}], "assign": "PartitionResult"}}],
      "endpoint": {{"url": "https://{prefix}.{{Region}}.{{PartitionResult#dnsSuffix}}", "properties": {{}}, "headers": {{}}}}, "type": "endpoint"}},
    {{"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}}
  ]
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use botogen_runtime::endpoint::Params;

    #[test]
    fn fallback_resolves_regional_endpoints_and_overrides() {
        let rules = RuleSet::from_json(&fallback("my-svc")).expect("valid");
        let endpoint = rules
            .resolve(&Params::new().set("Region", "eu-west-1"))
            .expect("resolves");
        assert_eq!(endpoint.url, "https://my-svc.eu-west-1.amazonaws.com");
        let endpoint = rules
            .resolve(&Params::new().set("Region", "cn-north-1"))
            .expect("resolves");
        assert_eq!(endpoint.url, "https://my-svc.cn-north-1.amazonaws.com.cn");
        let endpoint = rules
            .resolve(&Params::new().set("Endpoint", "http://127.0.0.1:9"))
            .expect("resolves");
        assert_eq!(endpoint.url, "http://127.0.0.1:9");
        assert!(rules.resolve(&Params::new()).is_err());
    }
}
