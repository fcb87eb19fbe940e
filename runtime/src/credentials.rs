//! Where AWS credentials come from: the environment, the shared config files, or a chain of
//! providers tried in order.
//!
//! Every source implements [`ProvideCredentials`], a synchronous trait returning the
//! [`Credentials`] that [`crate::sigv4`] signs with:
//!
//! * [`Credentials`] itself: fixed credentials.
//! * [`EnvironmentProvider`]: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
//!   `AWS_SESSION_TOKEN`.
//! * [`ProfileProvider`]: the `aws_access_key_id`, `aws_secret_access_key` and
//!   `aws_session_token` of a profile in `~/.aws/credentials` and `~/.aws/config`.
//! * [`ChainProvider`]: the first of several providers that has credentials;
//!   [`ChainProvider::default_chain`] is the environment, then the profile.
//!
//! Providers read the environment through [`Env`], which tests (and embedders) can replace
//! with a fixed map so nothing touches the process environment:
//!
//! ```
//! use botogen_runtime::credentials::{ChainProvider, Env, ProvideCredentials};
//!
//! let env = Env::from_pairs([
//!     ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
//!     ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
//! ]);
//! let credentials = ChainProvider::default_chain_with_env(env).provide()?;
//! assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
//! # Ok::<(), botogen_runtime::credentials::CredentialsError>(())
//! ```
//!
//! Secrets never appear in `Debug` output or error messages: errors name variables, keys,
//! profiles and files, never their values.
//!
//! Not supported (yet): assumed roles (`role_arn`), SSO, `credential_process`, web identity
//! tokens, container and instance metadata credentials. A profile that uses them has no
//! `aws_access_key_id`, so the profile provider reports it as not loaded.

mod profile;

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::sync::Arc;

pub use self::profile::{ProfileProvider, profile_region};
pub use crate::sigv4::Credentials;

/// A source of AWS credentials.
///
/// Synchronous: the providers here read environment variables and small local files. An
/// asynchronous client can call it from a blocking task.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials, or why this source has none.
    fn provide(&self) -> Result<Credentials, CredentialsError>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        Ok(self.clone())
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        (**self).provide()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        (**self).provide()
    }
}

/// A bearer token, sent as `Authorization: Bearer <token>` by operations whose auth scheme is
/// `smithy.api#httpBearerAuth` (such as CodeCatalyst's). `Debug` prints `Token(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from its text.
    pub fn new(token: impl Into<String>) -> Self {
        Token(token.into())
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// A source of bearer [`Token`]s, asked at every attempt of an operation that uses bearer
/// auth; a fixed [`Token`] provides itself.
pub trait ProvideToken: Send + Sync + fmt::Debug {
    /// The token, or why this source has none.
    fn provide_token(&self) -> Result<Token, CredentialsError>;
}

impl ProvideToken for Token {
    fn provide_token(&self) -> Result<Token, CredentialsError> {
        Ok(self.clone())
    }
}

impl<T: ProvideToken + ?Sized> ProvideToken for Arc<T> {
    fn provide_token(&self) -> Result<Token, CredentialsError> {
        (**self).provide_token()
    }
}

/// Why a provider returned no credentials.
///
/// Messages name variables, keys, profiles and files but never contain their values, so
/// errors can be logged.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source has no credentials: variables unset, file or profile missing. A
    /// [`ChainProvider`] moves on to its next provider.
    NotLoaded {
        /// The provider, such as `environment` or `profile`.
        provider: &'static str,
        /// What was missing.
        reason: String,
    },
    /// The source has credentials that cannot be used, such as an access key id without its
    /// secret, or a file that cannot be read. A [`ChainProvider`] stops here rather than
    /// silently using another identity.
    Invalid {
        /// The provider, such as `environment` or `profile`.
        provider: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// No provider of a [`ChainProvider`] gave credentials: what each one tried said, in
    /// order.
    Chain(Vec<CredentialsError>),
}

impl CredentialsError {
    /// `provider` has no credentials because of `reason`.
    pub fn not_loaded(provider: &'static str, reason: impl Into<String>) -> Self {
        Self::NotLoaded {
            provider,
            reason: reason.into(),
        }
    }

    /// `provider` has unusable credentials because of `reason`.
    pub fn invalid(provider: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            provider,
            reason: reason.into(),
        }
    }

    /// Whether the source simply had no credentials, so that a chain may try the next one.
    pub fn is_not_loaded(&self) -> bool {
        match self {
            Self::NotLoaded { .. } => true,
            Self::Invalid { .. } => false,
            Self::Chain(errors) => errors.iter().all(Self::is_not_loaded),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotLoaded { provider, reason } => {
                write!(f, "{provider}: no credentials: {reason}")
            }
            Self::Invalid { provider, reason } => {
                write!(f, "{provider}: invalid credentials: {reason}")
            }
            Self::Chain(errors) if errors.is_empty() => {
                f.write_str("no credentials: the provider chain is empty")
            }
            Self::Chain(errors) => {
                f.write_str("no credentials from any provider: ")?;
                for (i, error) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    fmt::Display::fmt(error, f)?;
                }
                Ok(())
            }
        }
    }
}

impl Error for CredentialsError {}

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// How providers read environment variables: the process environment, or a replacement.
///
/// `Debug` prints `Env(process)` or `Env(custom)`, never a value.
#[derive(Clone, Default)]
pub struct Env {
    custom: Option<Arc<Lookup>>,
}

impl Env {
    /// The environment of the process (`std::env::var`).
    pub fn process() -> Self {
        Self { custom: None }
    }

    /// Variables looked up by `lookup`.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self {
            custom: Some(Arc::new(lookup)),
        }
    }

    /// Exactly these variables, for tests.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self::from_fn(move |name| map.get(name).cloned())
    }

    /// The value of `name`, if it is set and valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.custom {
            Some(lookup) => lookup(name),
            None => std::env::var(name).ok(),
        }
    }

    /// The value of `name` with surrounding whitespace removed; unset if that leaves nothing.
    pub(crate) fn get_non_empty(&self, name: &str) -> Option<String> {
        let value = self.get(name)?;
        let trimmed = value.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.custom {
            Some(_) => "Env(custom)",
            None => "Env(process)",
        })
    }
}

/// The variable holding the access key id.
pub const ACCESS_KEY_ID_VAR: &str = "AWS_ACCESS_KEY_ID";
/// The variable holding the secret access key.
pub const SECRET_ACCESS_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
/// The variable holding the session token of temporary credentials.
pub const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
/// `AWS_SESSION_TOKEN`.
///
/// Empty variables count as unset. Neither key set is [`CredentialsError::NotLoaded`]; only
/// one of them set is [`CredentialsError::Invalid`].
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        const NAME: &str = "environment";
        let key = self.env.get_non_empty(ACCESS_KEY_ID_VAR);
        let secret = self.env.get_non_empty(SECRET_ACCESS_KEY_VAR);
        match (key, secret) {
            (Some(key), Some(secret)) => Ok(Credentials::new(
                key,
                secret,
                self.env.get_non_empty(SESSION_TOKEN_VAR),
            )),
            (None, None) => Err(CredentialsError::not_loaded(
                NAME,
                format!("{ACCESS_KEY_ID_VAR} and {SECRET_ACCESS_KEY_VAR} are not set"),
            )),
            (Some(_), None) => Err(CredentialsError::invalid(
                NAME,
                format!("{ACCESS_KEY_ID_VAR} is set but {SECRET_ACCESS_KEY_VAR} is not"),
            )),
            (None, Some(_)) => Err(CredentialsError::invalid(
                NAME,
                format!("{SECRET_ACCESS_KEY_VAR} is set but {ACCESS_KEY_ID_VAR} is not"),
            )),
        }
    }
}

/// The first credentials any of its providers gives, trying them in order.
///
/// A provider that has no credentials ([`CredentialsError::is_not_loaded`]) passes on to the
/// next; one with unusable credentials stops the chain. Either way the error is a
/// [`CredentialsError::Chain`] with what each provider tried said.
#[derive(Clone, Debug)]
pub struct ChainProvider {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl ChainProvider {
    /// A chain without providers; add them with [`with`](Self::with).
    pub fn empty() -> Self {
        Self {
            providers: Vec::new(),
        }
    }

    /// The environment ([`EnvironmentProvider`]), then the shared config files
    /// ([`ProfileProvider`]), both reading the process environment.
    pub fn default_chain() -> Self {
        Self::default_chain_with_env(Env::process())
    }

    /// The default chain reading `env` instead of the process environment.
    pub fn default_chain_with_env(env: Env) -> Self {
        Self::empty()
            .with(EnvironmentProvider::with_env(env.clone()))
            .with(ProfileProvider::with_env(env))
    }

    /// Appends `provider`: it is tried after the others.
    pub fn with(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Prepends `provider`: it is tried before the others.
    pub fn with_first(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.insert(0, Arc::new(provider));
        self
    }

    /// How many providers the chain has.
    pub fn len(&self) -> usize {
        self.providers.len()
    }

    /// Whether the chain has no providers.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut errors = Vec::new();
        for provider in &self.providers {
            match provider.provide() {
                Ok(credentials) => return Ok(credentials),
                Err(error) => {
                    let go_on = error.is_not_loaded();
                    errors.push(error);
                    if !go_on {
                        break;
                    }
                }
            }
        }
        Err(CredentialsError::Chain(errors))
    }
}
