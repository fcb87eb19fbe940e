//! The rules-engine standard library (`substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`) and the AWS functions (`aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`), as plain functions on strings. `aws.partition` lives in
//! [`partition`](mod@super::partition); `isSet`, `not`, the equality functions and `getAttr` are
//! evaluated in the parent module.
//!
//! Every function returns `None` where the specification says the result is unset.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::Value;

/// `substring(input, start, stop, reverse)`: the characters `start..stop` of an ASCII
/// string, counted from the end when `reverse` is set. Unset when `start >= stop`, when the
/// string is shorter than `stop`, or when it holds a non-ASCII character.
pub(crate) fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if start >= stop || input.len() < stop || !input.is_ascii() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to)
}

/// `uriEncode(value)`: percent-encodes every byte except the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`), with upper-case hex digits.
pub(crate) fn uri_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `parseURL(value)`: the parts of an `http` or `https` URL, as a record with `scheme`,
/// `authority` (host and port), `path` (as written, possibly empty), `normalizedPath` (the
/// path with a `/` at both ends) and `isIp` (whether the host is an IPv4 or bracketed IPv6
/// address).
///
/// Unset for anything else: another or no scheme, a query string or fragment, user
/// information, an empty host, a port that is not a number, whitespace or control
/// characters.
pub(crate) fn parse_url(value: &str) -> Option<Value> {
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
    {
        return None;
    }
    let (scheme, rest) = value.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return None;
    }
    let is_ip = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']')?;
        address.parse::<Ipv6Addr>().ok()?;
        if !after.is_empty() {
            valid_port(after.strip_prefix(':')?)?;
        }
        true
    } else {
        let host = match authority.rsplit_once(':') {
            Some((host, port)) => {
                valid_port(port)?;
                host
            }
            None => authority,
        };
        if host.is_empty() || host.contains(['[', ']', ':']) {
            return None;
        }
        host.parse::<Ipv4Addr>().is_ok()
    };
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut record = BTreeMap::new();
    record.insert("scheme".to_owned(), Value::String(scheme.to_owned()));
    record.insert("authority".to_owned(), Value::String(authority.to_owned()));
    record.insert("path".to_owned(), Value::String(path.to_owned()));
    record.insert("normalizedPath".to_owned(), Value::String(normalized));
    record.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Record(record))
}

/// A port: one to five digits.
fn valid_port(port: &str) -> Option<()> {
    (!port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())).then_some(())
}

/// `isValidHostLabel(value, allowSubDomains)`: whether `value` is an RFC 1123 host label
/// (1 to 63 letters, digits and hyphens, not starting or ending with a hyphen), or with
/// `allow_sub_domains`, such labels joined by dots.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_single_host_label)
    } else {
        is_single_host_label(value)
    }
}

fn is_single_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether an S3 bucket name can
/// be used as a host label: a valid host label (see [`is_valid_host_label`]) of at least
/// three characters, all lower case, and not formatted like an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    value.len() >= 3
        && !value.bytes().any(|b| b.is_ascii_uppercase())
        && !looks_like_ipv4(value)
        && is_valid_host_label(value, allow_sub_domains)
}

/// Four dot-separated groups of one to three digits.
fn looks_like_ipv4(value: &str) -> bool {
    let groups: Vec<&str> = value.split('.').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `aws.parseArn(value)`: the parts of `arn:partition:service:region:account-id:resource`,
/// as a record with `partition`, `service`, `region`, `accountId` and `resourceId` (the
/// resource split at every `:` and `/`). Unset unless the value starts with `arn:` and has
/// all six parts, with a non-empty partition, service and resource.
pub(crate) fn parse_arn(value: &str) -> Option<Value> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return None;
    };
    if *arn != "arn" {
        return None;
    }
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|s| Value::String(s.to_owned()))
        .collect();
    let mut record = BTreeMap::new();
    record.insert(
        "partition".to_owned(),
        Value::String((*partition).to_owned()),
    );
    record.insert("service".to_owned(), Value::String((*service).to_owned()));
    record.insert("region".to_owned(), Value::String((*region).to_owned()));
    record.insert("accountId".to_owned(), Value::String((*account).to_owned()));
    record.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Record(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.to_owned())
    }

    fn url(value: &str) -> Option<(String, String, String, String, bool)> {
        let Value::Record(r) = parse_url(value)? else {
            return None;
        };
        let text = |k: &str| match r.get(k) {
            Some(Value::String(s)) => s.clone(),
            other => panic!("{k}: {other:?}"),
        };
        let is_ip = matches!(r.get("isIp"), Some(Value::Bool(true)));
        Some((
            text("scheme"),
            text("authority"),
            text("path"),
            text("normalizedPath"),
            is_ip,
        ))
    }

    fn owned(
        a: &str,
        b: &str,
        c: &str,
        d: &str,
        ip: bool,
    ) -> (String, String, String, String, bool) {
        (a.into(), b.into(), c.into(), d.into(), ip)
    }

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdef", 0, 3, false), Some("abc"));
        assert_eq!(substring("abcdef", 2, 6, false), Some("cdef"));
        assert_eq!(substring("abcdef", 0, 3, true), Some("def"));
        assert_eq!(substring("abcdef", 1, 3, true), Some("de"));
        assert_eq!(substring("abcdef", 0, 6, true), Some("abcdef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 3, 1, false), None);
        assert_eq!(substring("aé-bucket", 0, 2, false), None);
        assert_eq!(substring("", 0, 1, false), None);
        assert_eq!(substring("--x-s3", 0, 6, true), Some("--x-s3"));
    }

    #[test]
    fn uri_encode_reserved_characters() {
        assert_eq!(uri_encode("abcXYZ019-_.~"), "abcXYZ019-_.~");
        assert_eq!(
            uri_encode(":/?#[]@!$&'()*+,;= %"),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%25"
        );
        assert_eq!(uri_encode("é"), "%C3%A9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn parse_url_parts() {
        assert_eq!(
            url("https://example.com"),
            Some(owned("https", "example.com", "", "/", false))
        );
        assert_eq!(
            url("http://example.com/"),
            Some(owned("http", "example.com", "/", "/", false))
        );
        assert_eq!(
            url("https://example.com:8443/foo/bar"),
            Some(owned(
                "https",
                "example.com:8443",
                "/foo/bar",
                "/foo/bar/",
                false
            ))
        );
        assert_eq!(
            url("https://example.com/foo/bar/"),
            Some(owned(
                "https",
                "example.com",
                "/foo/bar/",
                "/foo/bar/",
                false
            ))
        );
        assert_eq!(
            url("https://127.0.0.1:8443/path"),
            Some(owned("https", "127.0.0.1:8443", "/path", "/path/", true))
        );
        assert_eq!(
            url("http://10.0.0.1"),
            Some(owned("http", "10.0.0.1", "", "/", true))
        );
        assert_eq!(
            url("https://[fe80::1]"),
            Some(owned("https", "[fe80::1]", "", "/", true))
        );
        assert_eq!(
            url("https://[::1]:80/x"),
            Some(owned("https", "[::1]:80", "/x", "/x/", true))
        );
        assert_eq!(
            url("https://bucket.s3.amazonaws.com/path%20x"),
            Some(owned(
                "https",
                "bucket.s3.amazonaws.com",
                "/path%20x",
                "/path%20x/",
                false
            ))
        );
        // Not an address: too many groups, or a name.
        assert_eq!(url("https://1.2.3.4.5").map(|u| u.4), Some(false));
        assert_eq!(url("https://localhost:80").map(|u| u.4), Some(false));
    }

    #[test]
    fn parse_url_rejects() {
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://example.com?x=1",
            "https://example.com/a?x",
            "https://example.com#frag",
            "https://user@example.com",
            "https://example.com:port",
            "https://example.com:",
            "https://example.com:123456",
            "https://[fe80::1",
            "https://[zz::1]",
            "https://[::1]x",
            "https://a:b:c",
            "https://exa mple.com",
            "",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("A1b2", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a-", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(is_valid_host_label("foo.bar.baz", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label(".a", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("", true));
        assert!(!is_valid_host_label("é", false));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("MyBucket", false));
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
        assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true));
        assert!(is_virtual_hostable_s3_bucket("192.168.5.4.5", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("my..bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("my_bucket", false));
    }

    #[test]
    fn arns() {
        let Some(Value::Record(r)) =
            parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap:extra")
        else {
            panic!("not parsed")
        };
        assert_eq!(r.get("partition"), Some(&s("aws")));
        assert_eq!(r.get("service"), Some(&s("s3")));
        assert_eq!(r.get("region"), Some(&s("us-west-2")));
        assert_eq!(r.get("accountId"), Some(&s("123456789012")));
        assert_eq!(
            r.get("resourceId"),
            Some(&Value::Array(vec![
                s("accesspoint"),
                s("my-ap"),
                s("extra")
            ]))
        );
        // Region and account may be empty.
        let Some(Value::Record(r)) = parse_arn("arn:aws:s3:::bucket") else {
            panic!("not parsed")
        };
        assert_eq!(r.get("region"), Some(&s("")));
        assert_eq!(r.get("accountId"), Some(&s("")));
        assert_eq!(r.get("resourceId"), Some(&Value::Array(vec![s("bucket")])));
        for bad in [
            "",
            "arn",
            "arn:aws:s3:us-west-2:123",
            "arn::s3:r:a:res",
            "arn:aws::r:a:res",
            "arn:aws:s3:r:a:",
            "urn:aws:s3:r:a:res",
            "ARN:aws:s3:r:a:res",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }
}
