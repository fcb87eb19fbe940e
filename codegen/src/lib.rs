//! botogen's code generator: AWS botocore service models in, Rust SDK crates out.
//!
//! The pipeline runs in one direction:
//!
//! 1. [`source`] reads a model directory into strings (the library's only file I/O).
//! 2. [`model`] parses `service-2.json` into serde types that mirror the format, reporting
//!    unknown keys as warnings and bad JSON with its JSON path.
//! 3. [`ir`] validates the model and resolves it into the view the emitters read, with every
//!    Rust name chosen once.
//! 4. [`emit`] turns the IR into formatted files, returned as a map of path -> text.
//!
//! [`generate`] runs the whole pipeline; [`diff`] compares two models for review.

pub mod diff;
pub mod docs;
pub mod emit;
pub mod endpoints;
pub mod error;
pub mod ir;
pub mod model;
pub mod source;

pub use emit::{CrateSettings, Files, Provenance};
pub use error::Error;
pub use source::ModelFiles;

/// A generated crate and the warnings collected while reading its model.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Files by path relative to the crate root.
    pub files: Files,
    /// Unknown keys found in the model.
    pub warnings: Vec<model::Warning>,
}

/// Default package name for a service: `botogen-` and the service id in kebab case
/// (`Cognito Sync` -> `botogen-cognito-sync`).
pub fn default_crate_name(service: &ir::Service) -> String {
    format!(
        "botogen-{}",
        ir::naming::snake(&service.meta.service_id).replace('_', "-")
    )
}

/// Parses and lowers a model, without emitting anything.
pub fn lower(files: &ModelFiles) -> Result<(ir::Service, Vec<model::Warning>), Error> {
    let (model, mut warnings) = model::parse_service("service-2.json", &files.service)?;
    let paginators = match &files.paginators {
        Some(text) => {
            let (paginators, more) = model::parse_paginators("paginators-1.json", text)?;
            warnings.extend(more);
            Some(paginators)
        }
        None => None,
    };
    let mut service = ir::Service::from_models(&model, paginators.as_ref())?;
    if let Some(text) = &files.waiters {
        let (waiters, more) = model::parse_waiters("waiters-2.json", text)?;
        warnings.extend(more);
        service.waiters = ir::waiters::lower(&service, &model, &waiters)?;
    }
    Ok((service, warnings))
}

/// Runs the whole pipeline on a model. `settings` names the crate; with `None`, the name
/// comes from the model and the runtime is taken from crates.io.
pub fn generate(files: &ModelFiles, settings: Option<&CrateSettings>) -> Result<Generated, Error> {
    generate_with(files, |service| match settings {
        Some(settings) => settings.clone(),
        None => CrateSettings {
            name: default_crate_name(service),
            version: "0.1.0".to_owned(),
            runtime_version: "0.1.0".to_owned(),
            runtime_path: None,
        },
    })
}

/// Runs the whole pipeline, choosing the crate settings once the model is understood (for
/// example to name the crate after the service).
pub fn generate_with(
    files: &ModelFiles,
    settings: impl FnOnce(&ir::Service) -> CrateSettings,
) -> Result<Generated, Error> {
    let (service, warnings) = lower(files)?;
    let settings = settings(&service);
    let provenance = Provenance {
        model: files.label.clone(),
        sha256: files.service_sha256(),
    };
    let rules = endpoints::rule_set_text(files, &service)?;
    let files = emit::emit_crate(&service, &settings, &provenance, &rules)?;
    Ok(Generated { files, warnings })
}
