//! The shared config files, `~/.aws/credentials` and `~/.aws/config`.
//!
//! Both are INI files. The parser is lenient, like the AWS CLI's: blank lines and lines
//! starting with `#` or `;` are comments, so is anything after ` #` or ` ;` in a value (and
//! anything after the `]` of a section header); keys are case-insensitive and may be
//! separated from their values by `=` or `:`; surrounding whitespace is ignored; indented
//! lines under a key with an empty value (the nested settings of `s3 =`) are skipped; lines
//! that are none of these are ignored. Profile names are case-sensitive.
//!
//! In the credentials file a section `[name]` is the profile `name`; in the config file it is
//! `[profile name]`, except `[default]` (`[profile default]` is accepted too and wins).
//! Sections of other kinds (`[sso-session x]`, `[services x]`) are ignored.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{Credentials, CredentialsError, Env, ProvideCredentials};

const NAME: &str = "profile";

/// Properties of one profile: lower-case key -> value.
type Properties = HashMap<String, String>;

/// Credentials of a profile in the shared config files.
///
/// * Files: `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and
///   `AWS_CONFIG_FILE` (default `~/.aws/config`); a leading `~` is the home directory, from
///   `HOME`, else `USERPROFILE`. Either file may be missing.
/// * Profile: `AWS_PROFILE`, default `default`.
/// * Keys: `aws_access_key_id`, `aws_secret_access_key` and the optional
///   `aws_session_token`, each taken from the credentials file if it has it there, else from
///   the config file.
///
/// No file, no such profile, or a profile without keys (one using roles or SSO, say) is
/// [`CredentialsError::NotLoaded`]; a key id without its secret (or the reverse), or a file
/// that exists but cannot be read, is [`CredentialsError::Invalid`].
#[derive(Clone, Debug, Default)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    credentials_file: Option<PathBuf>,
    config_file: Option<PathBuf>,
}

impl ProfileProvider {
    /// Reads the process environment to find the files and the profile.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        Self {
            env,
            ..Self::default()
        }
    }

    /// Uses the profile `name`, whatever `AWS_PROFILE` says.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads the credentials file at `path`, whatever the environment says.
    pub fn with_credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// Reads the config file at `path`, whatever the environment says.
    pub fn with_config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// The profile used: the one set with [`with_profile`](Self::with_profile), else
    /// `AWS_PROFILE`, else `default`.
    pub fn profile_name(&self) -> String {
        self.profile
            .clone()
            .or_else(|| self.env.get_non_empty("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned())
    }

    /// Where the credentials file is looked for; `None` without a home directory.
    pub fn credentials_file_path(&self) -> Option<PathBuf> {
        self.file_path(
            self.credentials_file.as_ref(),
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
        )
    }

    /// Where the config file is looked for; `None` without a home directory.
    pub fn config_file_path(&self) -> Option<PathBuf> {
        self.file_path(self.config_file.as_ref(), "AWS_CONFIG_FILE", "config")
    }

    fn file_path(&self, set: Option<&PathBuf>, var: &str, file: &str) -> Option<PathBuf> {
        if let Some(path) = set {
            return Some(path.clone());
        }
        let home = self.home();
        if let Some(path) = self.env.get_non_empty(var) {
            return Some(expand_home(&path, home.as_deref()));
        }
        Some(home?.join(".aws").join(file))
    }

    fn home(&self) -> Option<PathBuf> {
        self.env
            .get_non_empty("HOME")
            .or_else(|| self.env.get_non_empty("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// The `region` of the profile in the config file (the credentials file is not
    /// consulted, as in the AWS CLI), or `None` if there is no such file, profile or key.
    ///
    /// # Errors
    ///
    /// A config file that exists but cannot be read.
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        let name = self.profile_name();
        let config = read_profiles(self.config_file_path().as_deref(), FileKind::Config)?;
        Ok(config
            .and_then(|mut profiles| profiles.remove(&name))
            .and_then(|mut properties| non_empty(properties.remove("region"))))
    }
}

/// The `region` of the profile (`AWS_PROFILE`, default `default`) in the config file that
/// `env` points to (`AWS_CONFIG_FILE`, default `~/.aws/config`); `None` if there is none or
/// the file cannot be read. See [`ProfileProvider::region`].
pub fn profile_region(env: &Env) -> Option<String> {
    ProfileProvider::with_env(env.clone())
        .region()
        .ok()
        .flatten()
}

impl ProvideCredentials for ProfileProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        let name = self.profile_name();
        let credentials_path = self.credentials_file_path();
        let config_path = self.config_file_path();
        let credentials = read_profiles(credentials_path.as_deref(), FileKind::Credentials)?;
        let config = read_profiles(config_path.as_deref(), FileKind::Config)?;
        let searched = || describe_paths(credentials_path.as_deref(), config_path.as_deref());
        if credentials.is_none() && config.is_none() {
            return Err(CredentialsError::not_loaded(
                NAME,
                format!("no shared credentials or config file ({})", searched()),
            ));
        }
        let from_credentials = credentials.and_then(|mut p| p.remove(&name));
        let from_config = config.and_then(|mut p| p.remove(&name));
        if from_credentials.is_none() && from_config.is_none() {
            return Err(CredentialsError::not_loaded(
                NAME,
                format!("profile `{name}` not found ({})", searched()),
            ));
        }
        // Values of the credentials file win over those of the config file, key by key.
        let mut properties = from_config.unwrap_or_default();
        properties.extend(from_credentials.unwrap_or_default());
        let mut take = |key: &str| non_empty(properties.remove(key));
        let key = take("aws_access_key_id");
        let secret = take("aws_secret_access_key");
        let token = take("aws_session_token");
        match (key, secret) {
            (Some(key), Some(secret)) => Ok(Credentials::new(key, secret, token)),
            (None, None) => Err(CredentialsError::not_loaded(
                NAME,
                format!(
                    "profile `{name}` has no aws_access_key_id (roles, SSO and \
                     credential_process are not supported)"
                ),
            )),
            (Some(_), None) => Err(CredentialsError::invalid(
                NAME,
                format!("profile `{name}` has aws_access_key_id but no aws_secret_access_key"),
            )),
            (None, Some(_)) => Err(CredentialsError::invalid(
                NAME,
                format!("profile `{name}` has aws_secret_access_key but no aws_access_key_id"),
            )),
        }
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn describe_paths(credentials: Option<&Path>, config: Option<&Path>) -> String {
    let describe = |path: Option<&Path>| match path {
        Some(path) => path.display().to_string(),
        None => "no home directory".to_owned(),
    };
    format!(
        "credentials: {}, config: {}",
        describe(credentials),
        describe(config)
    )
}

/// `~` or `~/...` relative to `home`; other paths as they are.
fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    if let Some(home) = home {
        if path == "~" {
            return home.to_path_buf();
        }
        if let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
            return home.join(rest);
        }
    }
    PathBuf::from(path)
}

/// Which shared file: they name their sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Credentials,
    Config,
}

/// The profiles of the file at `path`; `None` if there is no path or no file.
fn read_profiles(
    path: Option<&Path>,
    kind: FileKind,
) -> Result<Option<HashMap<String, Properties>>, CredentialsError> {
    let Some(path) = path else {
        return Ok(None);
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(parse_profiles(&text, kind))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        // The io::Error message names the problem (permission, invalid UTF-8), not the content.
        Err(error) => Err(CredentialsError::invalid(
            NAME,
            format!("cannot read {}: {error}", path.display()),
        )),
    }
}

/// Profiles by name, sections of the same profile merged (later values win).
fn parse_profiles(text: &str, kind: FileKind) -> HashMap<String, Properties> {
    let sections = parse_ini(text);
    let mut profiles: HashMap<String, Properties> = HashMap::new();
    // In the config file `[profile default]` wins over `[default]`: apply `[default]` first.
    let (plain_default, others): (Vec<_>, Vec<_>) = sections
        .into_iter()
        .partition(|(header, _)| kind == FileKind::Config && header == "default");
    for (header, properties) in plain_default.into_iter().chain(others) {
        let Some(name) = profile_name(&header, kind) else {
            continue;
        };
        profiles
            .entry(name.to_owned())
            .or_default()
            .extend(properties);
    }
    profiles
}

/// The profile a section header stands for, if it is a profile.
fn profile_name(header: &str, kind: FileKind) -> Option<&str> {
    match kind {
        FileKind::Credentials => (!header.is_empty()).then_some(header),
        FileKind::Config if header == "default" => Some(header),
        FileKind::Config => {
            let rest = header.strip_prefix("profile")?;
            if !rest.starts_with(char::is_whitespace) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then_some(name)
        }
    }
}

/// Sections in file order: the trimmed header and its properties (lower-case keys).
fn parse_ini(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    // Properties before any header, or under a malformed one, belong nowhere.
    let mut in_section = false;
    // The last key had an empty value: indented lines below it are its nested settings.
    let mut nested = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            nested = false;
            in_section = false;
            if let Some((header, _comment)) = rest.split_once(']') {
                sections.push((header.trim().to_owned(), Vec::new()));
                in_section = true;
            }
            continue;
        }
        if nested && line.starts_with(char::is_whitespace) {
            continue;
        }
        let Some((key, value)) = split_property(trimmed) else {
            nested = false;
            continue;
        };
        nested = value.is_empty();
        if let (true, Some((_, properties))) = (in_section, sections.last_mut()) {
            properties.push((key, value));
        }
    }
    sections
}

/// `key = value  # comment` -> (`key` in lower case, `value`); `None` without a separator
/// or a key.
fn split_property(line: &str) -> Option<(String, String)> {
    let at = line.find(['=', ':'])?;
    let key = line.get(..at)?.trim();
    let value = line.get(at + 1..)?;
    if key.is_empty() {
        return None;
    }
    Some((
        key.to_ascii_lowercase(),
        strip_inline_comment(value).trim().to_owned(),
    ))
}

/// Cuts `value` at the first `#` or `;` that follows whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let mut previous_is_space = false;
    for (at, c) in value.char_indices() {
        if previous_is_space && (c == '#' || c == ';') {
            return value.get(..at).unwrap_or(value);
        }
        previous_is_space = c.is_whitespace();
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_comments_and_case() {
        let text = "\
# top comment
stray = ignored
[default]   ; trailing comment
AWS_Access_Key_ID = AKID   # inline
aws_secret_access_key: se#cret
  ; indented comment

[profile dev]
region=eu-west-1
s3 =
  max_concurrent_requests = 10
  region = nested-not-top-level
not a property line
[sso-session corp]
region = us-east-2
[broken
aws_access_key_id = lost
";
        let config = parse_profiles(text, FileKind::Config);
        let default = &config["default"];
        assert_eq!(default["aws_access_key_id"], "AKID");
        assert_eq!(default["aws_secret_access_key"], "se#cret");
        assert_eq!(config["dev"]["region"], "eu-west-1");
        assert_eq!(config["dev"]["s3"], "");
        assert_eq!(config.len(), 2, "{config:?}");

        let credentials = parse_profiles(text, FileKind::Credentials);
        assert!(credentials.contains_key("profile dev"));
        assert!(credentials.contains_key("sso-session corp"));
        assert!(!credentials.contains_key("dev"));
    }

    #[test]
    fn profile_default_wins_over_default_in_config() {
        let text = "[profile default]\nregion = b\n[default]\nregion = a\noutput = json\n";
        let config = parse_profiles(text, FileKind::Config);
        assert_eq!(config["default"]["region"], "b");
        assert_eq!(config["default"]["output"], "json");
    }

    #[test]
    fn profile_names_need_the_prefix_and_a_space() {
        assert_eq!(
            profile_name("profile  x y ", FileKind::Config).map(str::trim),
            Some("x y")
        );
        assert_eq!(profile_name("profilex", FileKind::Config), None);
        assert_eq!(profile_name("profile", FileKind::Config), None);
        assert_eq!(profile_name("x", FileKind::Config), None);
        assert_eq!(profile_name("x", FileKind::Credentials), Some("x"));
    }

    #[test]
    fn expands_a_leading_tilde() {
        let home = Path::new("/home/u");
        assert_eq!(
            expand_home("~/creds", Some(home)),
            PathBuf::from("/home/u/creds")
        );
        assert_eq!(expand_home("~", Some(home)), PathBuf::from("/home/u"));
        assert_eq!(expand_home("~/creds", None), PathBuf::from("~/creds"));
        assert_eq!(expand_home("/etc/x", Some(home)), PathBuf::from("/etc/x"));
    }
}
