//! Credential providers: environment, shared profile files, chains, redaction.

#![cfg(feature = "client")]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use botogen_runtime::credentials::{
    ChainProvider, Credentials, CredentialsError, Env, EnvironmentProvider, ProfileProvider,
    ProvideCredentials, profile_region,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLETOKEN==";

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "botogen-credentials-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// An environment whose home is this directory, plus `extra`.
    fn env(&self, extra: &[(&str, &str)]) -> Env {
        let mut pairs = vec![("HOME".to_owned(), self.0.display().to_string())];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_pairs(pairs)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn keys(credentials: &Credentials) -> (&str, &str, Option<&str>) {
    (
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token(),
    )
}

// --- environment ---

#[test]
fn environment_reads_injected_variables() {
    let env = Env::from_pairs([
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]);
    let credentials = EnvironmentProvider::with_env(env).provide().unwrap();
    assert_eq!(keys(&credentials), ("AKID", SECRET, Some(TOKEN)));

    let env = Env::from_fn(|name| match name {
        "AWS_ACCESS_KEY_ID" => Some(" AKID ".to_owned()),
        "AWS_SECRET_ACCESS_KEY" => Some(SECRET.to_owned()),
        "AWS_SESSION_TOKEN" => Some(String::new()),
        _ => None,
    });
    let credentials = EnvironmentProvider::with_env(env).provide().unwrap();
    assert_eq!(keys(&credentials), ("AKID", SECRET, None));
}

#[test]
fn environment_without_variables_is_not_loaded() {
    let error = EnvironmentProvider::with_env(Env::from_pairs::<&str, &str>([]))
        .provide()
        .unwrap_err();
    assert!(error.is_not_loaded());
    assert_eq!(
        error.to_string(),
        "environment: no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"
    );
    let empty = Env::from_pairs([("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", " ")]);
    assert!(
        EnvironmentProvider::with_env(empty)
            .provide()
            .unwrap_err()
            .is_not_loaded()
    );
}

#[test]
fn environment_with_half_the_keys_is_invalid_and_says_which() {
    let error = EnvironmentProvider::with_env(Env::from_pairs([("AWS_ACCESS_KEY_ID", "AKID")]))
        .provide()
        .unwrap_err();
    assert!(!error.is_not_loaded());
    assert!(matches!(
        error,
        CredentialsError::Invalid {
            provider: "environment",
            ..
        }
    ));
    assert!(error.to_string().contains("AWS_SECRET_ACCESS_KEY is not"));

    let error = EnvironmentProvider::with_env(Env::from_pairs([("AWS_SECRET_ACCESS_KEY", SECRET)]))
        .provide()
        .unwrap_err();
    assert!(!error.is_not_loaded());
    assert!(!error.to_string().contains(SECRET));
    assert!(!format!("{error:?}").contains(SECRET));
}

// --- profile files ---

const CREDENTIALS_FILE: &str = "\
# Shared credentials
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret-default

[dev] ; the dev account
AWS_ACCESS_KEY_ID=AKIDDEV   # inline comment
Aws_Secret_Access_Key =  secret-dev
aws_session_token = token-dev
";

#[test]
fn default_profile_from_the_credentials_file_in_home() {
    let dir = TempDir::new();
    dir.write(".aws/credentials", CREDENTIALS_FILE);
    let provider = ProfileProvider::with_env(dir.env(&[]));
    assert_eq!(provider.profile_name(), "default");
    assert_eq!(
        provider.credentials_file_path(),
        Some(dir.path().join(".aws").join("credentials"))
    );
    let credentials = provider.provide().unwrap();
    assert_eq!(keys(&credentials), ("AKIDDEFAULT", "secret-default", None));
}

#[test]
fn named_profile_from_aws_profile_or_explicitly() {
    let dir = TempDir::new();
    dir.write(".aws/credentials", CREDENTIALS_FILE);
    let provider = ProfileProvider::with_env(dir.env(&[("AWS_PROFILE", "dev")]));
    let credentials = provider.provide().unwrap();
    assert_eq!(
        keys(&credentials),
        ("AKIDDEV", "secret-dev", Some("token-dev"))
    );

    let credentials = ProfileProvider::with_env(dir.env(&[]))
        .with_profile("dev")
        .provide()
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDDEV");
}

#[test]
fn config_file_profiles_use_the_profile_prefix() {
    let dir = TempDir::new();
    dir.write(
        ".aws/config",
        "[default]\nregion = us-east-1\n\
         [profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = secret-ops\n\
         region = eu-west-3\n\
         [ops]\naws_access_key_id = WRONG\n",
    );
    let env = dir.env(&[("AWS_PROFILE", "ops")]);
    let credentials = ProfileProvider::with_env(env.clone()).provide().unwrap();
    assert_eq!(keys(&credentials), ("AKIDOPS", "secret-ops", None));
    assert_eq!(profile_region(&env).as_deref(), Some("eu-west-3"));
    assert_eq!(profile_region(&dir.env(&[])).as_deref(), Some("us-east-1"));
    assert_eq!(profile_region(&dir.env(&[("AWS_PROFILE", "none")])), None);
}

#[test]
fn credentials_file_values_win_over_config_file_values() {
    let dir = TempDir::new();
    dir.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = secret-creds\n",
    );
    dir.write(
        ".aws/config",
        "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = secret-config\n\
         aws_session_token = token-config\nregion = ap-south-1\n",
    );
    let provider = ProfileProvider::with_env(dir.env(&[]));
    let credentials = provider.provide().unwrap();
    // Key by key: the token only the config file has is still used.
    assert_eq!(
        keys(&credentials),
        ("AKIDCREDS", "secret-creds", Some("token-config"))
    );
    assert_eq!(provider.region().unwrap().as_deref(), Some("ap-south-1"));
}

#[test]
fn file_locations_come_from_the_environment() {
    let dir = TempDir::new();
    let creds = dir.write(
        "elsewhere-credentials",
        "[x]\naws_access_key_id = A\naws_secret_access_key = B\n",
    );
    let config = dir.write("elsewhere-config", "[profile x]\nregion = sa-east-1\n");
    let env = Env::from_pairs([
        ("USERPROFILE", dir.path().display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds.display().to_string()),
        ("AWS_CONFIG_FILE", "~/elsewhere-config".to_owned()),
        ("AWS_PROFILE", "x".to_owned()),
    ]);
    let provider = ProfileProvider::with_env(env.clone());
    assert_eq!(provider.config_file_path(), Some(config));
    assert_eq!(provider.provide().unwrap().access_key_id(), "A");
    assert_eq!(profile_region(&env).as_deref(), Some("sa-east-1"));

    // Explicit paths win over the environment.
    let other = dir.write(
        "other",
        "[x]\naws_access_key_id = C\naws_secret_access_key = D\n",
    );
    let provider = ProfileProvider::with_env(env).with_credentials_file(&other);
    assert_eq!(provider.provide().unwrap().access_key_id(), "C");
}

#[test]
fn missing_files_profiles_and_keys_are_not_loaded() {
    let dir = TempDir::new();
    let error = ProfileProvider::with_env(dir.env(&[]))
        .provide()
        .unwrap_err();
    assert!(error.is_not_loaded());
    assert!(
        error
            .to_string()
            .contains("no shared credentials or config file"),
        "{error}"
    );

    let no_home = ProfileProvider::with_env(Env::from_pairs::<&str, &str>([]));
    assert_eq!(no_home.credentials_file_path(), None);
    assert!(no_home.provide().unwrap_err().is_not_loaded());

    dir.write(".aws/credentials", CREDENTIALS_FILE);
    let error = ProfileProvider::with_env(dir.env(&[("AWS_PROFILE", "prod")]))
        .provide()
        .unwrap_err();
    assert!(error.is_not_loaded());
    assert!(
        error.to_string().contains("profile `prod` not found"),
        "{error}"
    );

    dir.write(
        ".aws/config",
        "[profile sso]\nsso_session = corp\nregion = us-east-1\n",
    );
    let error = ProfileProvider::with_env(dir.env(&[("AWS_PROFILE", "sso")]))
        .provide()
        .unwrap_err();
    assert!(error.is_not_loaded());
    assert!(
        error.to_string().contains("has no aws_access_key_id"),
        "{error}"
    );
}

#[test]
fn a_key_without_its_secret_is_invalid() {
    let dir = TempDir::new();
    dir.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKID\naws_secret_access_key =\n\
         [reverse]\naws_secret_access_key = hidden-secret-value\n",
    );
    let error = ProfileProvider::with_env(dir.env(&[]))
        .provide()
        .unwrap_err();
    assert!(matches!(
        error,
        CredentialsError::Invalid {
            provider: "profile",
            ..
        }
    ));
    assert!(
        error.to_string().contains("no aws_secret_access_key"),
        "{error}"
    );

    let error = ProfileProvider::with_env(dir.env(&[("AWS_PROFILE", "reverse")]))
        .provide()
        .unwrap_err();
    assert!(!error.is_not_loaded());
    assert!(!error.to_string().contains("hidden-secret-value"));
    assert!(!format!("{error:?}").contains("hidden-secret-value"));
}

#[test]
fn an_unreadable_file_is_invalid() {
    let dir = TempDir::new();
    // A directory where the file should be cannot be read as a file.
    std::fs::create_dir_all(dir.path().join(".aws").join("credentials")).unwrap();
    let error = ProfileProvider::with_env(dir.env(&[]))
        .provide()
        .unwrap_err();
    assert!(!error.is_not_loaded(), "{error}");
    assert!(error.to_string().contains("cannot read"), "{error}");
}

// --- chain ---

#[derive(Debug)]
struct Failing(CredentialsError);

impl ProvideCredentials for Failing {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        Err(self.0.clone())
    }
}

#[test]
fn default_chain_prefers_the_environment_over_the_profile() {
    let dir = TempDir::new();
    dir.write(".aws/credentials", CREDENTIALS_FILE);
    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]);
    let chain = ChainProvider::default_chain_with_env(env);
    assert_eq!(chain.len(), 2);
    assert_eq!(chain.provide().unwrap().access_key_id(), "AKIDENV");

    let chain = ChainProvider::default_chain_with_env(dir.env(&[]));
    assert_eq!(chain.provide().unwrap().access_key_id(), "AKIDDEFAULT");
}

#[test]
fn chain_error_lists_every_provider_in_order() {
    let dir = TempDir::new();
    let error = ChainProvider::default_chain_with_env(dir.env(&[]))
        .provide()
        .unwrap_err();
    let CredentialsError::Chain(errors) = &error else {
        panic!("{error:?}");
    };
    let providers: Vec<_> = errors
        .iter()
        .map(|e| match e {
            CredentialsError::NotLoaded { provider, .. } => *provider,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(providers, ["environment", "profile"]);
    let message = error.to_string();
    assert!(
        message.starts_with("no credentials from any provider: environment: "),
        "{message}"
    );
    assert!(message.contains("; profile: no credentials"), "{message}");
    assert!(error.is_not_loaded());

    let empty = ChainProvider::empty();
    assert!(empty.is_empty());
    assert_eq!(
        empty.provide().unwrap_err().to_string(),
        "no credentials: the provider chain is empty"
    );
}

#[test]
fn with_appends_and_with_first_prepends() {
    let env = Env::from_pairs([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]);
    let fixed = Credentials::new("AKIDFIXED", SECRET, None);
    let chain = ChainProvider::default_chain_with_env(env.clone()).with(fixed.clone());
    assert_eq!(chain.provide().unwrap().access_key_id(), "AKIDENV");
    let chain = ChainProvider::default_chain_with_env(env).with_first(fixed.clone());
    assert_eq!(chain.provide().unwrap().access_key_id(), "AKIDFIXED");

    let chain = ChainProvider::empty()
        .with(Failing(CredentialsError::not_loaded(
            "custom",
            "nothing here",
        )))
        .with(std::sync::Arc::new(fixed));
    assert_eq!(chain.provide().unwrap().access_key_id(), "AKIDFIXED");
}

#[test]
fn chain_stops_at_invalid_credentials() {
    let chain = ChainProvider::empty()
        .with(Failing(CredentialsError::not_loaded("first", "nothing")))
        .with(Failing(CredentialsError::invalid("second", "broken")))
        .with(Credentials::new("AKIDNEVER", SECRET, None));
    let error = chain.provide().unwrap_err();
    assert_eq!(
        error,
        CredentialsError::Chain(vec![
            CredentialsError::not_loaded("first", "nothing"),
            CredentialsError::invalid("second", "broken"),
        ])
    );
    assert!(!error.is_not_loaded());
    assert_eq!(
        error.to_string(),
        "no credentials from any provider: first: no credentials: nothing; \
         second: invalid credentials: broken"
    );
}

// --- redaction ---

#[test]
fn debug_output_never_shows_secrets() {
    let dir = TempDir::new();
    dir.write(
        ".aws/credentials",
        &format!("[default]\naws_access_key_id = AKID\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"),
    );
    let env = dir.env(&[
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]);
    let fixed = Credentials::new("AKID", SECRET, Some(TOKEN.to_owned()));
    let chain = ChainProvider::default_chain_with_env(env.clone()).with(fixed.clone());
    let provided = ProfileProvider::with_env(env.clone()).provide().unwrap();
    assert_eq!(provided.secret_access_key(), SECRET);
    let outputs = [
        format!("{env:?}"),
        format!("{:?}", EnvironmentProvider::with_env(env.clone())),
        format!("{:?}", ProfileProvider::with_env(env.clone())),
        format!("{chain:?}"),
        format!("{fixed:?}"),
        format!("{provided:?}"),
        format!("{:?}", EnvironmentProvider::with_env(env.clone()).provide()),
        format!(
            "{}",
            EnvironmentProvider::with_env(env).provide().unwrap_err()
        ),
    ];
    for output in outputs {
        assert!(!output.contains(SECRET), "{output}");
        assert!(!output.contains(TOKEN), "{output}");
    }
}
