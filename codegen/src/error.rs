//! The generator's error type: every failure names the file, the JSON path and the problem.

use std::fmt;
use std::path::PathBuf;

/// Why a model could not be turned into a crate.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The model is not valid: bad JSON, a wrong type, a dangling reference, ...
    Malformed {
        /// The model file, such as `service-2.json`.
        file: String,
        /// JSON path of the offending value, such as `shapes.Record.members.Key.shape`.
        json_path: String,
        /// What is wrong.
        message: String,
    },
    /// The model is valid but uses a construct this generator does not support yet.
    Unsupported {
        /// The model file, such as `service-2.json`.
        file: String,
        /// JSON path of the construct.
        json_path: String,
        /// The construct, such as `event stream`.
        construct: String,
    },
    /// The generator produced something invalid: a bug in the generator, not the model.
    Generator {
        /// The generated file concerned.
        file: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// A malformed-model error at `json_path` of `file`.
    pub fn malformed(file: &str, json_path: &str, message: impl Into<String>) -> Self {
        Self::Malformed {
            file: file.to_owned(),
            json_path: json_path.to_owned(),
            message: message.into(),
        }
    }

    /// An unsupported-construct error at `json_path` of `file`.
    pub fn unsupported(file: &str, json_path: &str, construct: impl Into<String>) -> Self {
        Self::Unsupported {
            file: file.to_owned(),
            json_path: json_path.to_owned(),
            construct: construct.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Malformed {
                file,
                json_path,
                message,
            } => {
                write!(f, "{file}: malformed model at `{json_path}`: {message}")
            }
            Self::Unsupported {
                file,
                json_path,
                construct,
            } => write!(
                f,
                "{file}: unsupported construct at `{json_path}`: {construct} is not supported by this generator yet"
            ),
            Self::Generator { file, message } => {
                write!(f, "generator bug while emitting {file}: {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
