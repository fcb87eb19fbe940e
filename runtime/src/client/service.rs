//! [`Config`]: a [`ClientConfig`] tied to one service by type, so a generated client cannot
//! be given another service's endpoint rules or signing name.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use super::{ClientConfig, ClientConfigBuilder, ConfigError};
use crate::credentials::{Env, ProvideCredentials, ProvideToken};
use crate::endpoint::RuleSet;
use crate::retry::{RetryConfig, RetryStrategy};
use crate::transport::{HttpClient, Timeouts};

/// What a generated crate says about its service; implemented by a marker type in each
/// generated crate.
pub trait Service: 'static {
    /// The service's name, such as `Amazon Cognito Sync`.
    const NAME: &'static str;
    /// The SigV4 signing name, such as `cognito-sync`.
    const SIGNING_NAME: &'static str;
    /// The endpoint rule set (`endpoint-rule-set-1.json`) as JSON text.
    const ENDPOINT_RULES: &'static str;
}

/// The configuration of a generated client for service `S`: a [`ClientConfig`] with the
/// service's endpoint rules and signing name. Dereferences to [`ClientConfig`] for reading
/// settings. Cheap to clone; clones share the retry quota and the learned clock skew.
pub struct Config<S: Service> {
    inner: ClientConfig,
    service: PhantomData<fn() -> S>,
}

impl<S: Service> Config<S> {
    /// A builder that falls back on the process environment for what is not set: region
    /// (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`), credentials
    /// (environment, then the shared files' profile) and, with the `reqwest` feature, the
    /// HTTP client. See [`ClientConfigBuilder::environment`].
    pub fn builder() -> ConfigBuilder<S> {
        Self::builder_with_env(Env::process())
    }

    /// A builder that falls back on `env` instead of the process environment; tests pass a
    /// fixed [`Env::from_pairs`].
    pub fn builder_with_env(env: Env) -> ConfigBuilder<S> {
        ConfigBuilder {
            inner: Err(()),
            env: Some(env),
            service: PhantomData,
        }
        .init()
    }

    /// A builder that reads nothing from the environment: region, credentials and HTTP client
    /// must all be set.
    pub fn builder_without_env() -> ConfigBuilder<S> {
        ConfigBuilder {
            inner: Err(()),
            env: None,
            service: PhantomData,
        }
        .init()
    }

    /// The untyped configuration [`invoke`](super::invoke) takes.
    pub fn client_config(&self) -> &ClientConfig {
        &self.inner
    }

    /// A builder holding this configuration's settings, to derive a changed copy (the copy
    /// gets its own retry quota only if a new retry configuration is set).
    pub fn to_builder(&self) -> ConfigBuilder<S> {
        let inner = &self.inner;
        let mut builder = ClientConfig::builder(Arc::clone(&inner.rule_set), S::SIGNING_NAME)
            .region(inner.region.clone())
            .credentials(Arc::clone(&inner.credentials))
            .http_client(Arc::clone(&inner.http))
            .use_fips(inner.use_fips)
            .use_dual_stack(inner.use_dual_stack)
            .retry_strategy(inner.retry.clone())
            .timeouts(inner.timeouts)
            .call_timeout(inner.call_timeout)
            .disable_host_prefix(inner.disable_host_prefix);
        if let Some(url) = &inner.endpoint_url {
            builder = builder.endpoint_url(url.clone());
        }
        if let Some(token) = &inner.token {
            builder = builder.bearer_token(Arc::clone(token));
        }
        ConfigBuilder {
            inner: Ok(builder),
            env: None,
            service: PhantomData,
        }
    }
}

impl<S: Service> Deref for Config<S> {
    type Target = ClientConfig;

    fn deref(&self) -> &ClientConfig {
        &self.inner
    }
}

impl<S: Service> Clone for Config<S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            service: PhantomData,
        }
    }
}

impl<S: Service> fmt::Debug for Config<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("service", &S::NAME)
            .field("config", &self.inner)
            .finish()
    }
}

/// Builds a [`Config`]; see [`Config::builder`]. Setters are those of
/// [`ClientConfigBuilder`].
pub struct ConfigBuilder<S: Service> {
    /// The builder, or `Err` when the service's endpoint rules did not parse (reported by
    /// [`build`](Self::build)).
    inner: Result<ClientConfigBuilder, ()>,
    env: Option<Env>,
    service: PhantomData<fn() -> S>,
}

impl<S: Service> ConfigBuilder<S> {
    fn init(mut self) -> Self {
        if let Ok(rules) = RuleSet::from_json(S::ENDPOINT_RULES) {
            let mut builder = ClientConfig::builder(Arc::new(rules), S::SIGNING_NAME);
            if let Some(env) = self.env.take() {
                builder = builder.environment(env);
            }
            self.inner = Ok(builder);
        }
        self
    }

    fn map(mut self, f: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder) -> Self {
        self.inner = self.inner.map(f);
        self
    }

    /// Sets the region, such as `us-east-1`.
    #[must_use]
    pub fn region(self, region: impl Into<String>) -> Self {
        let region = region.into();
        self.map(|b| b.region(region))
    }

    /// Sets the credentials provider; fixed [`Credentials`](crate::sigv4::Credentials) work
    /// too, as does any [`ProvideCredentials`] (for example one that fetches temporary
    /// credentials from Cognito Identity).
    #[must_use]
    pub fn credentials(self, credentials: impl ProvideCredentials + 'static) -> Self {
        self.map(|b| b.credentials(credentials))
    }

    /// Sets the HTTP client.
    #[must_use]
    pub fn http_client(self, http: impl HttpClient + 'static) -> Self {
        self.map(|b| b.http_client(http))
    }

    /// Sends requests to `url` (`scheme://host[:port][/base/path]`) instead of the AWS
    /// endpoint, for example a local test server or a VPC endpoint.
    #[must_use]
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.map(|b| b.endpoint_url(url))
    }

    /// Asks for FIPS endpoints; off by default.
    #[must_use]
    pub fn use_fips(self, use_fips: bool) -> Self {
        self.map(|b| b.use_fips(use_fips))
    }

    /// Asks for dual-stack (IPv6) endpoints; off by default.
    #[must_use]
    pub fn use_dual_stack(self, use_dual_stack: bool) -> Self {
        self.map(|b| b.use_dual_stack(use_dual_stack))
    }

    /// Sets the retry configuration ([`RetryConfig::disabled`] turns retries off); the
    /// standard mode with 3 attempts otherwise.
    #[must_use]
    pub fn retry(self, retry: RetryConfig) -> Self {
        self.map(|b| b.retry(retry))
    }

    /// Sets the whole retry strategy, to share a quota between clients or fix the jitter.
    #[must_use]
    pub fn retry_strategy(self, retry: RetryStrategy) -> Self {
        self.map(|b| b.retry_strategy(retry))
    }

    /// Sets the per-attempt timeouts (connect, read);
    /// [`DEFAULT_TIMEOUTS`](super::DEFAULT_TIMEOUTS) otherwise.
    #[must_use]
    pub fn timeouts(self, timeouts: Timeouts) -> Self {
        self.map(|b| b.timeouts(timeouts))
    }

    /// Limits each whole call, retries and waits included; no limit by default (the
    /// per-attempt timeouts and the attempt limit still bound it).
    #[must_use]
    pub fn call_timeout(self, call_timeout: Option<Duration>) -> Self {
        self.map(|b| b.call_timeout(call_timeout))
    }

    /// Sets the bearer token (or a source of tokens) for the operations that use bearer auth;
    /// see [`ClientConfigBuilder::bearer_token`].
    #[must_use]
    pub fn bearer_token(self, token: impl ProvideToken + 'static) -> Self {
        self.map(|b| b.bearer_token(token))
    }

    /// Leaves operations' host prefixes off the endpoint's host (for a local test server or
    /// a proxy); see [`ClientConfigBuilder::disable_host_prefix`].
    #[must_use]
    pub fn disable_host_prefix(self, disable: bool) -> Self {
        self.map(|b| b.disable_host_prefix(disable))
    }

    /// The configuration.
    ///
    /// # Errors
    ///
    /// As [`ClientConfigBuilder::build`], and [`ConfigError::InvalidRules`] if the
    /// service's embedded endpoint rules do not parse (a generator bug).
    pub fn build(self) -> Result<Config<S>, ConfigError> {
        let builder = match self.inner {
            Ok(builder) => builder,
            Err(()) => {
                let why = RuleSet::from_json(S::ENDPOINT_RULES)
                    .err()
                    .map_or_else(String::new, |e| e.to_string());
                return Err(ConfigError::InvalidRules(why));
            }
        };
        Ok(Config {
            inner: builder.build()?,
            service: PhantomData,
        })
    }
}

impl<S: Service> Clone for ConfigBuilder<S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            env: self.env.clone(),
            service: PhantomData,
        }
    }
}

impl<S: Service> fmt::Debug for ConfigBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ConfigBuilder");
        d.field("service", &S::NAME);
        match &self.inner {
            Ok(builder) => d.field("builder", builder),
            Err(()) => d.field("builder", &"invalid endpoint rules"),
        };
        d.finish()
    }
}
