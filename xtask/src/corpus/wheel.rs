//! The pinned botocore wheel: fetching it from PyPI (or a local path), checking its sha256,
//! and extracting the service models of one protocol.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use botogen_codegen::ModelFiles;
use sha2::{Digest, Sha256};

use super::zip::Archive;

/// The botocore release the corpus is pinned to (the one `models/` comes from).
pub const VERSION: &str = "1.44.5";
/// Its wheel's file name on PyPI.
pub const FILE_NAME: &str = "botocore-1.44.5-py3-none-any.whl";
/// Where PyPI serves it (from the simple index, `https://pypi.org/simple/botocore/`).
pub const URL: &str = "https://files.pythonhosted.org/packages/73/0b/9f5dad3e0acf5307f34e38fa9a3c3e93f3e4da51667a5939846015269587/botocore-1.44.5-py3-none-any.whl";
/// Its sha256, as PyPI lists it.
pub const SHA256: &str = "8f16a56d1dff125dd65322ae021efa7ba5195a6db5102b96862566055b748921";

/// The wheel's bytes: read from `given`, else from `cache` (downloading it there first when
/// missing). Either way the sha256 must match [`SHA256`].
pub fn load(given: Option<&Path>, cache: &Path) -> Result<Vec<u8>, String> {
    let path = match given {
        Some(path) => path.to_path_buf(),
        None => {
            let path = cache.join(FILE_NAME);
            if !path.is_file() {
                download(&path)?;
            }
            path
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let digest = hex(&Sha256::digest(&bytes));
    if digest != SHA256 {
        return Err(format!(
            "{}: sha256 is {digest}, expected {SHA256} (botocore {VERSION}); delete it to download again",
            path.display()
        ));
    }
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads [`URL`] to `path` with `curl` (through a temporary file, so a failed download
/// leaves nothing). `curl` keeps this crate free of an HTTP stack: `cargo xtask codegen` is
/// built from this crate on a fresh machine, and the corpus is the one task that downloads.
fn download(path: &Path) -> Result<(), String> {
    eprintln!("downloading botocore {VERSION} from PyPI ...");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let partial = path.with_extension("part");
    let status = std::process::Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--retry",
            "3",
            "--connect-timeout",
            "10",
            "--max-time",
            "600",
            "--output",
        ])
        .arg(&partial)
        .arg(URL)
        .status()
        .map_err(|e| {
            format!(
                "cannot run curl to download {URL}: {e}; install curl, or download the wheel yourself and pass --wheel PATH"
            )
        })?;
    if !status.success() {
        let _ = std::fs::remove_file(&partial);
        return Err(format!(
            "curl could not download {URL} ({status}); pass --wheel PATH to use a copy you have"
        ));
    }
    std::fs::rename(&partial, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// One service model of the wheel.
#[derive(Debug)]
pub struct CorpusModel {
    /// Service directory name, such as `cognito-sync`.
    pub service: String,
    /// API version directory name, such as `2014-06-30`.
    pub version: String,
    /// The model's files.
    pub files: ModelFiles,
}

/// Every model in `wheel` whose `metadata.protocol` is `protocol`, sorted by service and version.
pub fn models(wheel: &[u8], protocol: &str) -> Result<Vec<CorpusModel>, String> {
    let archive = Archive::new(wheel)?;
    // (service, version) -> file name -> text
    let mut dirs: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    for entry in archive.entries() {
        let Some(rest) = entry.name.strip_prefix("botocore/data/") else {
            continue;
        };
        let parts: Vec<&str> = rest.split('/').collect();
        let [service, version, file] = parts[..] else {
            continue;
        };
        let (stem, gzipped) = match file.strip_suffix(".gz") {
            Some(stem) => (stem, true),
            None => (file, false),
        };
        if !matches!(
            stem,
            "service-2.json" | "paginators-1.json" | "waiters-2.json" | "endpoint-rule-set-1.json"
        ) {
            continue;
        }
        let mut bytes = archive.read(entry)?;
        if gzipped {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut plain)
                .map_err(|e| format!("{}: cannot gunzip: {e}", entry.name))?;
            bytes = plain;
        }
        let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", entry.name))?;
        dirs.entry((service.to_owned(), version.to_owned()))
            .or_default()
            .insert(stem.to_owned(), text);
    }
    let mut models = Vec::new();
    for ((service, version), mut files) in dirs {
        let Some(text) = files.remove("service-2.json") else {
            continue;
        };
        if protocol_of(&text).as_deref() != Some(protocol) {
            continue;
        }
        models.push(CorpusModel {
            files: ModelFiles {
                label: format!("{service}/{version}"),
                service: text,
                paginators: files.remove("paginators-1.json"),
                endpoint_rules: files.remove("endpoint-rule-set-1.json"),
                waiters: files.remove("waiters-2.json"),
            },
            service,
            version,
        });
    }
    Ok(models)
}

/// `metadata.protocol` of a model, without parsing the rest.
fn protocol_of(service_json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        metadata: Metadata,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        protocol: Option<String>,
    }
    serde_json::from_str::<Head>(service_json)
        .ok()
        .and_then(|head| head.metadata.protocol)
}

/// The default cache and scratch folder: `target/corpus` of the workspace.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join("target").join("corpus")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wheel_with_another_digest_is_refused() {
        let dir = std::env::temp_dir().join(format!("botogen-wheel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, b"not the wheel").unwrap();
        let err = load(Some(&path), &dir).unwrap_err();
        assert!(err.contains("sha256 is") && err.contains(SHA256), "{err}");
        let missing = load(Some(&dir.join("absent.whl")), &dir).unwrap_err();
        assert!(missing.contains("absent.whl"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_models_of_the_protocol_are_taken() {
        assert_eq!(
            protocol_of(r#"{"metadata":{"protocol":"rest-json"},"shapes":{}}"#).as_deref(),
            Some("rest-json")
        );
        assert_eq!(protocol_of(r#"{"metadata":{}}"#), None);
        assert_eq!(protocol_of("not json"), None);
    }
}
