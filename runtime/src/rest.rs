//! HTTP bindings of the rest-json protocol: building requests (labels, query strings,
//! headers, bodies) and reading bound values back from responses.
//!
//! Generated serializers push the pieces of a request into a [`RequestParts`] and finish it
//! into an `http::Request`; generated parsers use the `header_*` readers. Text encodings follow
//! what AWS services expect: labels and query values are percent-encoded with only the
//! unreserved characters (`A-Z a-z 0-9 - _ . ~`) left as they are (a greedy label also keeps
//! `/`); header lists are joined with `", "` and items containing `,` or `"` are quoted.

use crate::datetime::{DateTime, Format};
use crate::error::ValidationError;

/// Appends `value` percent-encoded for a URI path label; `greedy` labels keep `/`.
pub fn push_label(out: &mut String, value: &str, greedy: bool) {
    push_encoded(out, value, if greedy { b"/" } else { b"" });
}

/// Appends `value` percent-encoded for a query-string key or value.
pub fn push_query_component(out: &mut String, value: &str) {
    push_encoded(out, value, b"");
}

fn push_encoded(out: &mut String, value: &str, also_keep: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || also_keep.contains(&byte)
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

/// The text form of an `f64` in labels, query strings and headers: `NaN`, `Infinity`,
/// `-Infinity`, or the shortest decimal that reads back the same.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        format!("{value}")
    }
}

/// The text form of an `f32`, like [`float_text`] but shortest for the `f32` itself.
pub fn float32_text(value: f32) -> String {
    if value.is_finite() {
        format!("{value}")
    } else {
        float_text(f64::from(value))
    }
}

/// A timestamp in a label, query value or header, in `format`.
pub fn timestamp_text(value: &DateTime, format: Format) -> String {
    value.fmt(format)
}

/// Joins header list items with `", "`, quoting items that contain `,` or `"` (with `"` and
/// `\` escaped inside the quotes). HTTP dates are never quoted: their comma is expected.
pub fn header_list<I, S>(items: I, quote: bool) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        let item = item.as_ref();
        if i > 0 {
            out.push_str(", ");
        }
        if quote && item.contains([',', '"']) {
            out.push('"');
            for c in item.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// A query string being built: members in order, then map entries whose keys no member
/// already set (named members take precedence).
#[derive(Debug, Default)]
pub struct QueryString {
    pairs: Vec<(String, Option<String>)>,
}

impl QueryString {
    /// Adds `key=value`.
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        self.pairs.push((key.to_owned(), Some(value.into())));
    }

    /// Adds a key without a value (`?delete`).
    pub fn push_key(&mut self, key: &str) {
        self.pairs.push((key.to_owned(), None));
    }

    /// Adds `key=value` unless some earlier entry has this key.
    pub fn push_unless_present(&mut self, key: &str, value: impl Into<String>) {
        if !self.contains(key) {
            self.push(key, value);
        }
    }

    /// Whether some entry has this key.
    pub fn contains(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Appends `?k=v&...` (percent-encoded) to `out`, or nothing when empty.
    pub fn write_to(&self, out: &mut String) {
        for (i, (key, value)) in self.pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            push_query_component(out, key);
            if let Some(value) = value {
                out.push('=');
                push_query_component(out, value);
            }
        }
    }
}

/// A request under construction. Generated serializers fill it in member by member.
#[derive(Debug)]
pub struct RequestParts {
    method: http::Method,
    path: String,
    /// The query string.
    pub query: QueryString,
    headers: http::HeaderMap,
    body: Vec<u8>,
    host_prefix: Option<HostPrefix>,
}

impl RequestParts {
    /// A request with `method`, an empty path and no headers.
    pub fn new(method: http::Method) -> Self {
        Self {
            method,
            path: String::with_capacity(64),
            query: QueryString::default(),
            headers: http::HeaderMap::new(),
            body: Vec::new(),
            host_prefix: None,
        }
    }

    /// The path so far, to push literals and labels onto.
    pub fn path(&mut self) -> &mut String {
        &mut self.path
    }

    /// Sets header `name` to `value`. `member` names the input member for the error when the
    /// value cannot be sent in a header (control characters).
    pub fn header(&mut self, name: &str, value: &str, member: &str) -> Result<(), ValidationError> {
        let value = http::HeaderValue::from_str(value).map_err(|_| {
            ValidationError::new(member, "contains characters a header cannot carry")
        })?;
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            ValidationError::new(member, format!("`{name}` is not a valid header name"))
        })?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Whether header `name` has been set.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.contains_key(name)
    }

    /// Sets the body and, unless a member already set it, the `Content-Type`.
    pub fn body(&mut self, body: Vec<u8>, content_type: &'static str) {
        self.body = body;
        if !self.headers.contains_key(http::header::CONTENT_TYPE) {
            self.headers.insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static(content_type),
            );
        }
    }

    /// Sets the request's host prefix: `template` (the operation's `hostPrefix`) with each
    /// `{label}` replaced by its value in `labels` (member name, value); see
    /// [`HostPrefix::expand`].
    pub fn host_prefix(
        &mut self,
        template: &str,
        labels: &[(&str, &str)],
    ) -> Result<(), ValidationError> {
        self.host_prefix = Some(HostPrefix::expand(template, labels)?);
        Ok(())
    }

    /// Finishes the request. The URI is relative (`/path?query`): the endpoint is added by
    /// whoever sends it. A non-empty body gets a `Content-Length`; a host prefix goes into the
    /// request's extensions as a [`HostPrefix`].
    pub fn finish(mut self) -> Result<http::Request<Vec<u8>>, ValidationError> {
        self.query.write_to(&mut self.path);
        let uri: http::Uri = self.path.parse().map_err(|e| {
            ValidationError::new(
                "(request URI)",
                format!("`{}` is not a valid URI: {e}", self.path),
            )
        })?;
        if !self.body.is_empty() {
            self.headers.insert(
                http::header::CONTENT_LENGTH,
                http::HeaderValue::from(self.body.len()),
            );
        }
        let mut request = http::Request::new(self.body);
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        if let Some(prefix) = self.host_prefix {
            request.extensions_mut().insert(prefix);
        }
        Ok(request)
    }
}

/// The longest DNS label.
const MAX_DNS_LABEL: usize = 63;

/// The host prefix of an operation with an endpoint trait (`hostPrefix` in the model, such as
/// `data-` or `{AccountId}.`), its labels filled in from the input's `hostLabel` members.
///
/// A generated `serialize_request` puts it in the request's
/// [extensions](http::Request::extensions); whoever sends the request prepends it to the
/// endpoint's host, before signing. The client does this itself; code that sends requests on
/// its own uses [`HostPrefix::of`] and [`HostPrefix::apply_to_url`]:
///
/// ```
/// use botogen_runtime::rest::HostPrefix;
///
/// let prefix = HostPrefix::expand("{AccountId}.data-", &[("AccountId", "123456789012")])?;
/// assert_eq!(
///     prefix.apply_to_url("https://service.us-east-1.amazonaws.com/base"),
///     "https://123456789012.data-service.us-east-1.amazonaws.com/base"
/// );
/// # Ok::<(), botogen_runtime::error::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostPrefix(String);

impl HostPrefix {
    /// `template` with each `{label}` replaced by the value `labels` gives for it (pairs of
    /// member name and value).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the member when a label has no value, or a value that is
    /// empty, longer than 63 characters or has a character other than ASCII letters, digits
    /// and `-`; naming `(host prefix)` when the result is not a sequence of DNS labels (each
    /// followed by `.`, the last one possibly continued by the endpoint's host).
    pub fn expand(template: &str, labels: &[(&str, &str)]) -> Result<Self, ValidationError> {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(invalid_prefix(template));
            };
            let name = &after[..close];
            let value = labels
                .iter()
                .find(|(label, _)| *label == name)
                .map(|(_, value)| *value)
                .ok_or_else(|| ValidationError::new(name, "is a host label but has no value"))?;
            check_host_label(name, value)?;
            out.push_str(value);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        if !is_host_prefix(&out) {
            return Err(invalid_prefix(&out));
        }
        Ok(HostPrefix(out))
    }

    /// The prefix of a request, if it has one.
    pub fn of<B>(request: &http::Request<B>) -> Option<&HostPrefix> {
        request.extensions().get()
    }

    /// The prefix, such as `123456789012.`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `url` (`scheme://host[:port][/path]`) with the prefix put before its host.
    pub fn apply_to_url(&self, url: &str) -> String {
        let at = url.find("://").map_or(0, |i| i + 3);
        let mut out = String::with_capacity(url.len() + self.0.len());
        out.push_str(&url[..at]);
        out.push_str(&self.0);
        out.push_str(&url[at..]);
        out
    }
}

/// A host label value: 1 to 63 ASCII letters, digits and `-`.
fn check_host_label(member: &str, value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(
            member,
            "is bound to the endpoint's host and must not be empty",
        ));
    }
    if value.len() > MAX_DNS_LABEL
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(ValidationError::new(
            member,
            "is bound to the endpoint's host: it must be at most 63 ASCII letters, digits and `-`",
        ));
    }
    Ok(())
}

/// Whether `prefix` is DNS labels each followed by `.`, then possibly the start of a label
/// that the endpoint's host completes (`data-`).
fn is_host_prefix(prefix: &str) -> bool {
    let mut parts = prefix.split('.').peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        let chars_ok = part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let ok = if last {
            // The start of the host's first label (or nothing after a final `.`).
            chars_ok && !part.starts_with('-') && part.len() < MAX_DNS_LABEL
        } else {
            chars_ok
                && (1..=MAX_DNS_LABEL).contains(&part.len())
                && !part.starts_with('-')
                && !part.ends_with('-')
        };
        if !ok {
            return false;
        }
    }
    true
}

fn invalid_prefix(prefix: &str) -> ValidationError {
    ValidationError::new(
        "(host prefix)",
        format!("`{prefix}` is not a valid prefix for a host name"),
    )
}

/// The text of header `name`, if present and valid UTF-8 (`Err` if present but not text).
pub fn header_str<'h>(headers: &'h http::HeaderMap, name: &str) -> Result<Option<&'h str>, String> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| format!("header `{name}` is not valid text")),
    }
}

/// Parses header `name` with `parse`, naming the header in the error.
pub fn header_value<T>(
    headers: &http::HeaderMap,
    name: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, String> {
    match header_str(headers, name)? {
        None => Ok(None),
        Some(text) => parse(text.trim())
            .map(Some)
            .ok_or_else(|| format!("header `{name}` has an invalid value `{text}`")),
    }
}

/// Splits a header list into items: on commas outside quotes, unquoting quoted items.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut was_quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                was_quoted = true;
            }
            '\\' if in_quotes => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' if !in_quotes => {
                items.push(finish_item(&mut current, was_quoted));
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    if !value.trim().is_empty() {
        items.push(finish_item(&mut current, was_quoted));
    }
    items
}

fn finish_item(current: &mut String, quoted: bool) -> String {
    let item = std::mem::take(current);
    if quoted {
        item.trim_start().trim_end().to_owned()
    } else {
        item.trim().to_owned()
    }
}

/// Splits a header list of HTTP dates: every date has one comma of its own
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`), so items are every second comma apart.
pub fn split_http_date_list(value: &str) -> Vec<String> {
    let parts: Vec<&str> = value.split(',').collect();
    parts
        .chunks(2)
        .map(|pair| pair.join(",").trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses a header boolean (`true`/`false`).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Parses a header float, accepting `NaN`, `Infinity` and `-Infinity`.
pub fn parse_f64(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => text.parse().ok().filter(|v: &f64| v.is_finite()),
    }
}

/// Parses a header `f32` like [`parse_f64`].
pub fn parse_f32(text: &str) -> Option<f32> {
    match text {
        "NaN" => Some(f32::NAN),
        "Infinity" => Some(f32::INFINITY),
        "-Infinity" => Some(f32::NEG_INFINITY),
        _ => text.parse().ok().filter(|v: &f32| v.is_finite()),
    }
}

/// Parses a timestamp in `format`.
pub fn parse_timestamp(text: &str, format: Format) -> Option<DateTime> {
    DateTime::parse(text, format).ok()
}

/// Headers starting with `prefix` (case-insensitive), keyed by the rest of the name, in
/// lower case as HTTP/2 and the `http` crate deliver them. An empty prefix takes all headers.
pub fn prefix_headers(
    headers: &http::HeaderMap,
    prefix: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let prefix = prefix.to_ascii_lowercase();
    let mut map = std::collections::BTreeMap::new();
    for (name, value) in headers {
        if let Some(rest) = name.as_str().strip_prefix(&prefix) {
            let value = value
                .to_str()
                .map_err(|_| format!("header `{name}` is not valid text"))?;
            map.insert(rest.to_owned(), value.to_owned());
        }
    }
    Ok(map)
}

/// Base64 of the JSON text of `json`, for `jsonvalue` headers.
pub fn json_header(json: &str) -> String {
    crate::blob::encode_base64(json.as_bytes())
}

/// Decodes a `jsonvalue` header: base64, then it must be JSON text.
pub fn parse_json_header(text: &str) -> Option<String> {
    let bytes = crate::blob::decode_base64(text).ok()?;
    let json = String::from_utf8(bytes).ok()?;
    crate::json::parse_document(json.as_bytes()).ok()?;
    Some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_query_values_are_percent_encoded() {
        let tricky = " %:/?#[]@!$&'()*+,;=\u{1F639}";
        let mut label = String::new();
        push_label(&mut label, tricky, false);
        assert_eq!(
            label,
            "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
        let mut greedy = String::new();
        push_label(&mut greedy, "a/b c/us-east-1:x", true);
        assert_eq!(greedy, "a/b%20c/us-east-1%3Ax");
        let mut query = QueryString::default();
        query.push("String", tricky);
        query.push_key("delete");
        query.push_unless_present("String", "ignored");
        query.push_unless_present("Other", "kept");
        let mut out = String::from("/p");
        query.write_to(&mut out);
        assert_eq!(
            out,
            "/p?String=%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9&delete&Other=kept"
        );
    }

    #[test]
    fn header_lists_quote_only_when_needed() {
        assert_eq!(header_list(["a", "b", "c"], true), "a, b, c");
        assert_eq!(
            header_list(["b,c", "\"def\"", "a"], true),
            "\"b,c\", \"\\\"def\\\"\", a"
        );
        assert_eq!(
            split_header_list("\"b,c\", \"\\\"def\\\"\", a"),
            ["b,c", "\"def\"", "a"]
        );
        assert_eq!(split_header_list("a, b, c"), ["a", "b", "c"]);
        assert_eq!(split_header_list(""), Vec::<String>::new());
        assert_eq!(
            split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn floats_use_aws_special_values() {
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(float_text(1.1), "1.1");
        assert_eq!(float32_text(1.1f32), "1.1");
        assert!(parse_f64("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_f64("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64("inf"), None);
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("True"), None);
    }

    #[test]
    fn request_parts_build_a_relative_request() {
        let mut parts = RequestParts::new(http::Method::POST);
        parts.path().push_str("/identitypools/");
        push_label(parts.path(), "us-east-1:abc", false);
        parts.query.push("maxResults", "10");
        parts.header("X-Amz-Test", "yes", "Test").unwrap();
        assert!(
            parts
                .header("X-Bad", "a\nb", "Bad")
                .unwrap_err()
                .to_string()
                .contains("Bad")
        );
        parts.body(b"{}".to_vec(), "application/json");
        let request = parts.finish().unwrap();
        assert_eq!(
            request.uri(),
            "/identitypools/us-east-1%3Aabc?maxResults=10"
        );
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.headers()["content-length"], "2");
        assert_eq!(request.headers()["x-amz-test"], "yes");
    }

    #[test]
    fn prefix_headers_strip_the_prefix() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-foo-abc", http::HeaderValue::from_static("Abc"));
        headers.insert("x-foo", http::HeaderValue::from_static("Foo"));
        headers.insert("hello", http::HeaderValue::from_static("Hi"));
        let map = prefix_headers(&headers, "X-Foo-").unwrap();
        assert_eq!(map.len(), 1);
        assert_eq!(map["abc"], "Abc");
        assert_eq!(prefix_headers(&headers, "").unwrap().len(), 3);
    }
}

/// A fresh idempotency token (a random UUID version 4), for members the model marks
/// `idempotencyToken` that the caller left unset.
///
/// Randomness comes from std's per-process random hashing keys mixed with the time and a
/// counter: unique in practice, which is all a token needs (it is not a secret).
pub fn idempotency_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let state = std::collections::hash_map::RandomState::new();
    let word = |salt: u64| {
        let mut hasher = state.build_hasher();
        hasher.write_u64(count);
        hasher.write_u64(nanos);
        hasher.write_u64(salt);
        hasher.finish()
    };
    let (high, low) = (word(1), word(2));
    let bytes: Vec<u8> = high
        .to_be_bytes()
        .into_iter()
        .chain(low.to_be_bytes())
        .collect();
    let mut uuid = [0u8; 16];
    uuid.copy_from_slice(&bytes);
    uuid[6] = (uuid[6] & 0x0F) | 0x40;
    uuid[8] = (uuid[8] & 0x3F) | 0x80;
    let hex: String = uuid.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod token_tests {
    use super::idempotency_token;

    #[test]
    fn tokens_are_version_4_uuids_and_differ() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}

#[cfg(test)]
mod host_prefix_tests {
    use super::{HostPrefix, RequestParts};

    #[test]
    fn labels_are_filled_in_and_checked() {
        let prefix = HostPrefix::expand("foo.{label}.", &[("label", "bar")]).unwrap();
        assert_eq!(prefix.as_str(), "foo.bar.");
        assert_eq!(
            prefix.apply_to_url("https://example.com"),
            "https://foo.bar.example.com"
        );
        assert_eq!(
            HostPrefix::expand("data-", &[])
                .unwrap()
                .apply_to_url("http://127.0.0.1:8080/base"),
            "http://data-127.0.0.1:8080/base"
        );
        let both = HostPrefix::expand("{A}.{B}-x.", &[("B", "b-2"), ("A", "a1")]).unwrap();
        assert_eq!(both.as_str(), "a1.b-2-x.");
        for bad in ["", "a.b", "a/b", "a:1", "é", "a_b", "a@b", &"x".repeat(64)] {
            let err = HostPrefix::expand("{AccountId}.", &[("AccountId", bad)]).unwrap_err();
            assert_eq!(err.path(), "AccountId", "{bad:?}: {err}");
        }
        let err = HostPrefix::expand("{AccountId}.", &[]).unwrap_err();
        assert_eq!(err.path(), "AccountId");
        assert!(err.rule().contains("no value"), "{err}");
        // Valid labels that do not make a valid DNS label sequence.
        for (template, value) in [("{L}.", "-a"), ("{L}.", "a-"), ("x{L}..", "a")] {
            let err = HostPrefix::expand(template, &[("L", value)]).unwrap_err();
            assert_eq!(err.path(), "(host prefix)", "{template} {value}: {err}");
        }
        assert!(HostPrefix::expand("{unclosed.", &[]).is_err());
    }

    #[test]
    fn requests_carry_the_prefix_in_their_extensions() {
        let mut parts = RequestParts::new(http::Method::POST);
        parts.path().push_str("/op");
        parts
            .host_prefix("{AccountId}.", &[("AccountId", "123456789012")])
            .unwrap();
        let request = parts.finish().unwrap();
        assert_eq!(
            HostPrefix::of(&request).map(HostPrefix::as_str),
            Some("123456789012.")
        );
        let mut plain = RequestParts::new(http::Method::GET);
        plain.path().push('/');
        let plain = plain.finish().unwrap();
        assert_eq!(HostPrefix::of(&plain), None);
    }
}
