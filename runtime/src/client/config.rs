//! [`ClientConfig`], its [`ClientConfigBuilder`] and [`ConfigError`].

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::credentials::{ChainProvider, Env, ProvideCredentials, ProvideToken, profile_region};
use crate::endpoint::RuleSet;
use crate::retry::{RetryConfig, RetryStrategy};
use crate::transport::{HttpClient, Timeouts};

/// Everything [`invoke`](super::invoke) needs to send requests to one service: region,
/// credentials, HTTP client, endpoint settings, retries and timeouts.
///
/// Build it with [`ClientConfig::builder`]. Cheap to share: clone it or put it in an `Arc`.
/// Clones share the retry quota and the clock skew learned from responses.
///
/// `Debug` leaves the credentials provider out.
#[derive(Clone)]
pub struct ClientConfig {
    pub(super) region: String,
    pub(super) credentials: Arc<dyn ProvideCredentials>,
    pub(super) http: Arc<dyn HttpClient>,
    pub(super) endpoint_url: Option<String>,
    pub(super) use_fips: bool,
    pub(super) use_dual_stack: bool,
    pub(super) retry: RetryStrategy,
    pub(super) timeouts: Timeouts,
    pub(super) call_timeout: Option<Duration>,
    pub(super) signing_name: String,
    pub(super) rule_set: Arc<RuleSet>,
    /// The bearer token source of operations with bearer auth.
    pub(super) token: Option<Arc<dyn ProvideToken>>,
    /// Operations' host prefixes are not put before the endpoint's host.
    pub(super) disable_host_prefix: bool,
    /// Seconds to add to the local clock when signing, learned from clock-skew errors.
    pub(super) skew: Arc<AtomicI64>,
}

impl ClientConfig {
    /// A builder for a service with endpoint rules `rule_set` and SigV4 signing name
    /// `signing_name` (such as `cognito-sync`); region, credentials and HTTP client must be set
    /// before [`build`](ClientConfigBuilder::build).
    pub fn builder(rule_set: Arc<RuleSet>, signing_name: impl Into<String>) -> ClientConfigBuilder {
        ClientConfigBuilder {
            rule_set,
            signing_name: signing_name.into(),
            region: None,
            credentials: None,
            http: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            retry: None,
            timeouts: DEFAULT_TIMEOUTS,
            call_timeout: None,
            environment: None,
            token: None,
            disable_host_prefix: false,
        }
    }

    /// The region requests are sent to and signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The SigV4 signing name of the service.
    pub fn signing_name(&self) -> &str {
        &self.signing_name
    }

    /// The endpoint URL that overrides the rule set's, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are asked for.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints are asked for.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The retry strategy (configuration and the quota shared by clones of this config).
    pub fn retry(&self) -> &RetryStrategy {
        &self.retry
    }

    /// The per-attempt timeouts handed to the HTTP client.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The limit on a whole call, retries and waits included; `None` means no limit.
    pub fn call_timeout(&self) -> Option<Duration> {
        self.call_timeout
    }

    /// The endpoint rule set.
    pub fn rule_set(&self) -> &Arc<RuleSet> {
        &self.rule_set
    }

    /// The bearer token source, if one is set.
    pub fn bearer_token(&self) -> Option<&Arc<dyn ProvideToken>> {
        self.token.as_ref()
    }

    /// Whether operations' host prefixes are left off the endpoint's host.
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix
    }

    /// The clock skew learned so far from clock-skew errors, in seconds (positive when the
    /// local clock is behind the service's).
    pub fn clock_skew_seconds(&self) -> i64 {
        self.skew.load(Ordering::Relaxed)
    }

    pub(super) fn set_clock_skew_seconds(&self, skew: i64) {
        self.skew.store(skew, Ordering::Relaxed);
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("region", &self.region)
            .field("http", &self.http)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", self.retry.config())
            .field("timeouts", &self.timeouts)
            .field("call_timeout", &self.call_timeout)
            .field("signing_name", &self.signing_name)
            .field("bearer_token_set", &self.token.is_some())
            .field("disable_host_prefix", &self.disable_host_prefix)
            .field("clock_skew_seconds", &self.clock_skew_seconds())
            .finish_non_exhaustive()
    }
}

/// Builds a [`ClientConfig`]; see [`ClientConfig::builder`].
///
/// `Debug` leaves the credentials provider out.
#[derive(Clone)]
pub struct ClientConfigBuilder {
    rule_set: Arc<RuleSet>,
    signing_name: String,
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    http: Option<Arc<dyn HttpClient>>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: Option<RetryStrategy>,
    timeouts: Timeouts,
    call_timeout: Option<Duration>,
    environment: Option<Env>,
    token: Option<Arc<dyn ProvideToken>>,
    disable_host_prefix: bool,
}

/// The per-attempt timeouts a [`ClientConfigBuilder`] starts with: 3.1 s to connect (as the
/// AWS SDKs), 60 s for an attempt. With the default 3 attempts and a 20 s backoff cap no call
/// waits forever, even without a [`call_timeout`](ClientConfigBuilder::call_timeout).
pub const DEFAULT_TIMEOUTS: Timeouts = Timeouts {
    connect: Some(Duration::from_millis(3_100)),
    read: Some(Duration::from_secs(60)),
};

/// Environment variables that give the region, in order of precedence.
pub const REGION_VARS: [&str; 2] = ["AWS_REGION", "AWS_DEFAULT_REGION"];

impl ClientConfigBuilder {
    /// Fills what is left unset from `env` when [`build`](Self::build) runs: the region
    /// from `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's `region` in the shared config
    /// file; the credentials from [`ChainProvider::default_chain`] (environment, then
    /// profile), read at each call; and, with the `reqwest` feature, the HTTP client
    /// (`ReqwestClient` with the configured connect timeout). Use [`Env::process`] for the
    /// process environment, [`Env::from_pairs`] for a fixed one.
    #[must_use]
    pub fn environment(mut self, env: Env) -> Self {
        self.environment = Some(env);
        self
    }

    /// Sets the region (required), such as `us-east-1`.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the credentials provider (required); fixed
    /// [`Credentials`](crate::sigv4::Credentials) work too.
    #[must_use]
    pub fn credentials(mut self, credentials: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Sets the HTTP client (required); an `Arc` keeps a handle for the caller.
    #[must_use]
    pub fn http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.http = Some(Arc::new(http));
        self
    }

    /// Sends requests to `url` (`scheme://host[:port][/base/path]`) instead of the endpoint
    /// the rule set picks (it becomes the rule set's `SDK::Endpoint` parameter).
    #[must_use]
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Asks for FIPS endpoints (`AWS::UseFIPS`); off by default.
    #[must_use]
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Asks for dual-stack endpoints (`AWS::UseDualStack`); off by default.
    #[must_use]
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Sets the retry configuration; [`RetryConfig::default`] otherwise. The config gets its
    /// own retry quota.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(RetryStrategy::new(retry));
        self
    }

    /// Sets the whole retry strategy, to share a quota or fix the jitter.
    #[must_use]
    pub fn retry_strategy(mut self, retry: RetryStrategy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the per-attempt timeouts (connect, read); [`DEFAULT_TIMEOUTS`] otherwise.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Limits the whole call, retries and waits included; `None` (the default) means no limit.
    #[must_use]
    pub fn call_timeout(mut self, call_timeout: Option<Duration>) -> Self {
        self.call_timeout = call_timeout;
        self
    }

    /// Sets the bearer token (or a source of tokens) for operations whose auth scheme is
    /// bearer (`smithy.api#httpBearerAuth`); calling one without a token fails with
    /// [`InvokeError::MissingBearerToken`](super::InvokeError::MissingBearerToken) before
    /// anything is sent. A fixed [`Token`](crate::credentials::Token) works.
    #[must_use]
    pub fn bearer_token(mut self, token: impl ProvideToken + 'static) -> Self {
        self.token = Some(Arc::new(token));
        self
    }

    /// Leaves operations' host prefixes (the model's endpoint trait, such as `data-`) off the
    /// endpoint's host, for endpoints that do not have them (a local test server, a proxy);
    /// off by default.
    #[must_use]
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.disable_host_prefix = disable;
        self
    }

    /// The configuration.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Missing`] naming the first required setting neither given nor found
    /// in the [`environment`](Self::environment) (`region`, `credentials`, `http_client`),
    /// [`ConfigError::InvalidEndpointUrl`] when the endpoint URL is not an absolute `http` or
    /// `https` URL, or [`ConfigError::HttpClient`] when the default HTTP client cannot be set
    /// up.
    pub fn build(self) -> Result<ClientConfig, ConfigError> {
        let env = self.environment.as_ref();
        let region = self
            .region
            .or_else(|| env.and_then(region_from_env))
            .filter(|region| !region.trim().is_empty())
            .ok_or(ConfigError::Missing("region"))?;
        let credentials = match (self.credentials, env) {
            (Some(credentials), _) => credentials,
            (None, Some(env)) => Arc::new(ChainProvider::default_chain_with_env(env.clone())),
            (None, None) => return Err(ConfigError::Missing("credentials")),
        };
        let http = match (self.http, env) {
            (Some(http), _) => http,
            (None, Some(_)) => default_http_client(&self.timeouts)?,
            (None, None) => return Err(ConfigError::Missing("http_client")),
        };
        if let Some(url) = &self.endpoint_url {
            check_endpoint_url(url)?;
        }
        Ok(ClientConfig {
            region,
            credentials,
            http,
            endpoint_url: self.endpoint_url,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry: self.retry.unwrap_or_default(),
            timeouts: self.timeouts,
            call_timeout: self.call_timeout,
            signing_name: self.signing_name,
            rule_set: self.rule_set,
            token: self.token,
            disable_host_prefix: self.disable_host_prefix,
            skew: Arc::new(AtomicI64::new(0)),
        })
    }
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfigBuilder")
            .field("region", &self.region)
            .field("credentials_set", &self.credentials.is_some())
            .field("http", &self.http)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry.as_ref().map(RetryStrategy::config))
            .field("timeouts", &self.timeouts)
            .field("call_timeout", &self.call_timeout)
            .field("signing_name", &self.signing_name)
            .field("bearer_token_set", &self.token.is_some())
            .field("disable_host_prefix", &self.disable_host_prefix)
            .finish_non_exhaustive()
    }
}

/// The region the environment names: a variable of [`REGION_VARS`], else the profile's.
fn region_from_env(env: &Env) -> Option<String> {
    REGION_VARS
        .iter()
        .find_map(|var| env.get(var).filter(|v| !v.trim().is_empty()))
        .or_else(|| profile_region(env))
}

/// The HTTP client used when none is set: `ReqwestClient` with the `reqwest` feature.
#[cfg(feature = "reqwest")]
fn default_http_client(timeouts: &Timeouts) -> Result<Arc<dyn HttpClient>, ConfigError> {
    crate::transport::ReqwestClient::new(timeouts.connect)
        .map(|client| Arc::new(client) as Arc<dyn HttpClient>)
        .map_err(|e| ConfigError::HttpClient(e.to_string()))
}

/// The HTTP client used when none is set: without the `reqwest` feature there is none.
#[cfg(not(feature = "reqwest"))]
fn default_http_client(_timeouts: &Timeouts) -> Result<Arc<dyn HttpClient>, ConfigError> {
    Err(ConfigError::Missing("http_client"))
}

fn check_endpoint_url(url: &str) -> Result<(), ConfigError> {
    let invalid = || ConfigError::InvalidEndpointUrl(url.to_owned());
    let uri: http::Uri = url.parse().map_err(|_| invalid())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    if !scheme_ok || uri.authority().is_none() || uri.query().is_some() {
        return Err(invalid());
    }
    Ok(())
}

/// Why [`ClientConfigBuilder::build`] failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting was not given: `region`, `credentials` or `http_client`.
    Missing(&'static str),
    /// The default HTTP client could not be set up (for example, no TLS trust store);
    /// says why.
    HttpClient(String),
    /// A generated crate's embedded endpoint rules do not parse (a generator bug); says why.
    InvalidRules(String),
    /// The endpoint URL is not an absolute `http` or `https` URL without a query.
    InvalidEndpointUrl(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(setting) => write!(
                f,
                "client configuration is missing `{setting}`: set it with `.{setting}(..)` on the builder{}",
                match *setting {
                    "region" => " or in AWS_REGION",
                    "http_client" => " or enable the `reqwest` feature",
                    _ => "",
                }
            ),
            ConfigError::InvalidRules(why) => {
                write!(f, "the service's endpoint rules are invalid: {why}")
            }
            ConfigError::HttpClient(why) => {
                write!(f, "cannot set up the default HTTP client: {why}")
            }
            ConfigError::InvalidEndpointUrl(url) => write!(
                f,
                "invalid endpoint URL {url:?}: expected `http://` or `https://`, a host and an optional path"
            ),
        }
    }
}

impl Error for ConfigError {}
