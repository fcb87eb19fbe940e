//! The server's configuration: the credentials it accepts, its region and its clock.

use std::fmt;

/// What the server accepts and how its clock runs.
///
/// ```
/// use botogen_tests::cognito_server::ServerConfig;
///
/// let config = ServerConfig::new("AKIDEXAMPLE", "secret", "us-east-1")
///     .session_token("token")
///     .clock_offset_seconds(-600);
/// assert_eq!(config.session_token.as_deref(), Some("token"));
/// ```
///
/// `Debug` does not print the secret or the token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The one access key id the server knows; any other gets 403
    /// `UnrecognizedClientException`.
    pub access_key_id: String,
    /// The secret of that key, which signatures are checked with.
    pub secret_access_key: String,
    /// The session token requests must carry in `X-Amz-Security-Token` (temporary
    /// credentials); with `None`, requests must carry none.
    pub session_token: Option<String>,
    /// The region credential scopes must name.
    pub region: String,
    /// Seconds added to the local clock to give the server's time (the time signatures are
    /// checked against and `Date` headers give).
    pub clock_offset_seconds: i64,
}

impl ServerConfig {
    /// A server accepting long-term credentials `access_key_id`/`secret_access_key` signed
    /// for `region`, with the local clock.
    pub fn new(access_key_id: &str, secret_access_key: &str, region: &str) -> Self {
        ServerConfig {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: None,
            region: region.to_owned(),
            clock_offset_seconds: 0,
        }
    }

    /// Requires temporary credentials with this session token.
    #[must_use]
    pub fn session_token(mut self, token: &str) -> Self {
        self.session_token = Some(token.to_owned());
        self
    }

    /// Sets the server's clock to the local clock plus `seconds` (negative: behind).
    #[must_use]
    pub fn clock_offset_seconds(mut self, seconds: i64) -> Self {
        self.clock_offset_seconds = seconds;
        self
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .field("region", &self.region)
            .field("clock_offset_seconds", &self.clock_offset_seconds)
            .finish()
    }
}
