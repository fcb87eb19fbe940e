//! The AWS Signature Version 4 test suite (`tests/data/aws4_testsuite/`, as vendored by
//! botocore): every case's canonical request, string to sign and `Authorization` header must
//! match exactly.
//!
//! Each `.req` file is a raw HTTP/1.1 request. Its request target is taken as the path and
//! query *as they are on the wire*: that is what the suite means (its expected canonical URI
//! for `GET /example space/` is `/example%20space/`, the wire path encoded once by the
//! signer), and it is the same rule that double-encodes our serializer's already-encoded
//! labels (`%3A` on the wire is `%253A` in the canonical request). Requests are signed through
//! `SignableRequest::new` (which takes the target as text, so the raw space of
//! `normalize-path/get-space` can be fed), and, whenever `http::Uri` accepts the target (all
//! but that one), also through `sign` on an `http::Request`.

use std::fs;
use std::path::{Path, PathBuf};

use botogen_runtime::DateTime;
use botogen_runtime::sigv4::{
    Credentials, SignableRequest, SigningParams, canonical_request, sign, sign_request,
    string_to_sign,
};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const REGION: &str = "us-east-1";
const SERVICE: &str = "service";
const TIME: &str = "2015-08-30T12:36:00Z";

/// The cases botocore skips, with its reasons. They are run anyway and only skipped if they
/// fail.
const BOTOCORE_SKIPS: [(&str, &str); 4] = [
    (
        "normalize-path/get-space",
        "its request line has a raw space, which Python's parser rejects",
    ),
    (
        "get-vanilla-query-order-key",
        "repeated query keys, which the SDKs do not send",
    ),
    (
        "get-vanilla-query-order-key-case",
        "repeated query keys, which the SDKs do not send",
    ),
    (
        "get-vanilla-query-order-value",
        "repeated query keys, which the SDKs do not send",
    ),
];

/// A raw request of the suite.
struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Parses a `.req` file: request line (the target may contain spaces), `Name:value` lines
/// (lines starting with whitespace continue the previous value: obs-fold, unfolded with one
/// space), an optional blank line and the body.
fn parse_request(text: &str) -> RawRequest {
    let text = text.replace('\r', "");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let (target, version) = rest.rsplit_once(' ').expect("HTTP version");
    assert_eq!(version, "HTTP/1.1");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers.last_mut().expect("a header before a continuation");
            value.push(' ');
            value.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/aws4_testsuite")
}

/// Case directories (those holding `<name>.req`), as paths relative to the suite, sorted.
fn cases(dir: &Path, relative: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("suite directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let case = if relative.is_empty() {
            name.clone()
        } else {
            format!("{relative}/{name}")
        };
        if path.join(format!("{name}.req")).is_file() {
            out.push(case);
        } else {
            cases(&path, &case, out);
        }
    }
}

fn read(dir: &Path, name: &str, extension: &str) -> String {
    let path = dir.join(format!("{name}.{extension}"));
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace('\r', "")
}

/// Runs one case; `Err` describes every mismatch.
fn run_case(case: &str) -> Result<(), String> {
    let dir = suite_dir().join(case);
    let name = case.rsplit('/').next().unwrap();
    let raw = parse_request(&read(&dir, name, "req"));
    let expected_creq = read(&dir, name, "creq");
    let expected_sts = read(&dir, name, "sts");
    let expected_authz = read(&dir, name, "authz");
    // As botocore's runner does: the session token is the one the canonical request shows.
    let token = expected_creq
        .lines()
        .find_map(|line| line.strip_prefix("x-amz-security-token:"))
        .map(str::to_owned);
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, token);
    let time: DateTime = TIME.parse().unwrap();
    let params = SigningParams::new(&credentials, REGION, SERVICE, time);

    let mut request = SignableRequest::new(&raw.method, &raw.target, &raw.body);
    for (name, value) in &raw.headers {
        request = request.header(name, value);
    }
    let mut problems = Vec::new();
    let mut check = |what: &str, actual: &str, expected: &str| {
        if actual != expected {
            problems.push(format!(
                "{what} differs\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    };
    let creq = canonical_request(&request, &params).map_err(|e| e.to_string())?;
    check("canonical request", &creq, &expected_creq);
    let sts = string_to_sign(&creq, &params).map_err(|e| e.to_string())?;
    check("string to sign", &sts, &expected_sts);
    let output = sign_request(&request, &params).map_err(|e| e.to_string())?;
    check("authorization", output.authorization(), &expected_authz);

    // The same through `sign` on an `http::Request`, when `http` can hold the target.
    if let Ok(uri) = raw.target.parse::<http::Uri>() {
        let mut builder = http::Request::builder()
            .method(raw.method.as_str())
            .uri(uri);
        for (name, value) in &raw.headers {
            builder = builder.header(name, value);
        }
        let mut http_request = builder.body(raw.body.clone()).map_err(|e| e.to_string())?;
        sign(&mut http_request, &params).map_err(|e| e.to_string())?;
        let header = |name: &str| {
            http_request
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        check(
            "sign(): authorization",
            &header("authorization"),
            &expected_authz,
        );
        check(
            "sign(): x-amz-date",
            &header("x-amz-date"),
            "20150830T123600Z",
        );
        if let Some(token) = credentials.session_token() {
            check(
                "sign(): x-amz-security-token",
                &header("x-amz-security-token"),
                token,
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn aws4_testsuite() {
    let mut all = Vec::new();
    cases(&suite_dir(), "", &mut all);
    assert_eq!(all.len(), 34, "cases found: {all:?}");
    let (mut passed, mut skipped, mut failures) = (0, Vec::new(), Vec::new());
    for case in &all {
        match run_case(case) {
            Ok(()) => passed += 1,
            Err(problem) => match BOTOCORE_SKIPS.iter().find(|(name, _)| name == case) {
                Some((_, reason)) => {
                    println!("skipped {case} (botocore skips it: {reason}): {problem}");
                    skipped.push(case);
                }
                None => failures.push(format!("{case}: {problem}")),
            },
        }
    }
    println!(
        "sigv4 suite: {passed} passed, {} skipped{}",
        skipped.len(),
        if skipped.is_empty() {
            " (botocore's 4 skipped cases all pass here)"
        } else {
            ""
        }
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn requests_parse_with_folded_and_repeated_headers() {
    let raw = parse_request(
        "GET /example space/?a=b HTTP/1.1\nHost:h\nMy-Header1:value1\n  value2\nMy-Header1:x\n\nbody",
    );
    assert_eq!(raw.method, "GET");
    assert_eq!(raw.target, "/example space/?a=b");
    assert_eq!(
        raw.headers,
        [
            ("Host".to_owned(), "h".to_owned()),
            ("My-Header1".to_owned(), "value1 value2".to_owned()),
            ("My-Header1".to_owned(), "x".to_owned()),
        ]
    );
    assert_eq!(raw.body, b"body");
}
