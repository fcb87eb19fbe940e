//! Tests of the server with a minimal client on std `TcpStream`: requests built by the
//! generated crate's sans-IO serializers, signed with botogen-runtime's signer, written as
//! HTTP/1.1; responses read back and parsed by the generated `parse_response`.

mod faults;
mod robustness;
mod signature;
mod sync;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime};

use botogen_cognito_sync::Validation;
use botogen_cognito_sync::operation::{list_records, update_records};
use botogen_cognito_sync::types::{ListRecordsRequest, RecordPatch, UpdateRecordsRequest};
use botogen_runtime::DateTime;
use botogen_runtime::sigv4::{Credentials, SigningParams, sign};

use super::{CognitoServer, ServerConfig};

pub(super) const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub(super) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub(super) const REGION: &str = "us-east-1";
pub(super) const POOL: &str = "us-east-1:0000aaaa-1111-2222-3333-444455556666";
pub(super) const IDENTITY: &str = "us-east-1:0000bbbb-1111-2222-3333-444455556666";

pub(super) fn config() -> ServerConfig {
    ServerConfig::new(ACCESS_KEY, SECRET, REGION)
}

pub(super) fn start() -> CognitoServer {
    CognitoServer::start(config()).expect("server starts")
}

/// The local time as the runtime's `DateTime`, `offset` seconds away.
pub(super) fn time(offset: i64) -> DateTime {
    let now = DateTime::from(SystemTime::now());
    DateTime::from_secs_and_nanos(now.secs() + offset, 0)
}

/// Signs `request` (relative URI) for `server`'s address with `credentials` and `region` at
/// `time`; the URI becomes absolute so the signer signs the host.
pub(super) fn sign_with(
    server: &CognitoServer,
    mut request: http::Request<Vec<u8>>,
    credentials: &Credentials,
    region: &str,
    time: DateTime,
) -> http::Request<Vec<u8>> {
    let uri = format!("{}{}", server.url(), request.uri());
    *request.uri_mut() = uri.parse().expect("absolute URI");
    let params = SigningParams::new(credentials, region, "cognito-sync", time);
    sign(&mut request, &params).expect("signs");
    request
}

/// Signs `request` with the test credentials at the local time.
pub(super) fn signed(
    server: &CognitoServer,
    request: http::Request<Vec<u8>>,
) -> http::Request<Vec<u8>> {
    let credentials = Credentials::new(ACCESS_KEY, SECRET, None);
    sign_with(server, request, &credentials, REGION, time(0))
}

/// A connection to the server.
pub(super) struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    pub(super) fn connect(server: &CognitoServer) -> Client {
        let stream = TcpStream::connect(server.addr()).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        Client {
            writer: stream.try_clone().expect("clone"),
            reader: BufReader::new(stream),
        }
    }

    pub(super) fn set_read_timeout(&self, timeout: Duration) {
        self.writer
            .set_read_timeout(Some(timeout))
            .expect("timeout");
    }

    pub(super) fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("writes");
    }

    /// Writes `request` (absolute URI) as HTTP/1.1: origin-form target, `Host` from the URI.
    pub(super) fn send(&mut self, request: &http::Request<Vec<u8>>) {
        let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let mut head = format!("{} {target} HTTP/1.1\r\n", request.method());
        if !request.headers().contains_key("host") {
            let host = request.uri().authority().expect("authority").as_str();
            head.push_str(&format!("Host: {host}\r\n"));
        }
        for (name, value) in request.headers() {
            let value = value.to_str().expect("text header");
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !request.headers().contains_key("content-length") && !request.body().is_empty() {
            head.push_str(&format!("Content-Length: {}\r\n", request.body().len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(request.body());
        self.send_raw(&bytes);
    }

    /// Reads one response (`Content-Length` framed).
    pub(super) fn read_response(&mut self) -> io::Result<http::Response<Vec<u8>>> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let mut builder = http::Response::builder().status(status);
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("header line");
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().expect("length");
            }
            builder = builder.header(name, value);
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(builder.body(body).expect("response"))
    }

    /// Whether the server closed the connection (the next read sees end of stream).
    pub(super) fn is_closed(&mut self) -> bool {
        let mut byte = [0; 1];
        matches!(self.reader.read(&mut byte), Ok(0))
    }

    /// Sends `request` and reads the response.
    pub(super) fn call(&mut self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        self.send(request);
        self.read_response().expect("a response")
    }
}

/// Sends one signed request on a new connection and reads the response.
pub(super) fn call(
    server: &CognitoServer,
    request: http::Request<Vec<u8>>,
) -> http::Response<Vec<u8>> {
    Client::connect(server).call(&signed(server, request))
}

/// The `ListRecords` request for dataset `name` of the test identity.
pub(super) fn list_records_request(
    name: &str,
    last_sync_count: Option<i64>,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> http::Request<Vec<u8>> {
    let input = ListRecordsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name(name)
        .set_last_sync_count(last_sync_count)
        .set_next_token(next_token.map(str::to_owned))
        .set_max_results(max_results)
        .build()
        .expect("input");
    list_records::serialize_request(&input, Validation::Enabled).expect("request")
}

/// Lists the records of dataset `name` (all of one page), checking the call succeeds.
pub(super) fn list_records(
    server: &CognitoServer,
    name: &str,
    last_sync_count: Option<i64>,
) -> botogen_cognito_sync::types::ListRecordsResponse {
    let response = call(
        server,
        list_records_request(name, last_sync_count, None, None),
    );
    list_records::parse_response(&response).expect("ListRecords succeeds")
}

/// A patch: `replace` with `Some(value)`, `remove` with `None`.
pub(super) fn patch(key: &str, value: Option<&str>, sync_count: i64) -> RecordPatch {
    RecordPatch::builder()
        .op(if value.is_some() { "replace" } else { "remove" })
        .key(key)
        .set_value(value.map(str::to_owned))
        .sync_count(sync_count)
        .build()
        .expect("patch")
}

/// The `UpdateRecords` request for dataset `name` of the test identity.
pub(super) fn update_records_request(
    name: &str,
    token: &str,
    patches: Vec<RecordPatch>,
) -> http::Request<Vec<u8>> {
    let input = UpdateRecordsRequest::builder()
        .identity_pool_id(POOL)
        .identity_id(IDENTITY)
        .dataset_name(name)
        .device_id("device-1")
        .sync_session_token(token)
        .record_patches(patches)
        .build()
        .expect("input");
    update_records::serialize_request(&input, Validation::Enabled).expect("request")
}

/// The header `name` of `response` as text.
pub(super) fn header<'a>(response: &'a http::Response<Vec<u8>>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The error code (`x-amzn-ErrorType` before `:`) of `response`.
pub(super) fn error_code(response: &http::Response<Vec<u8>>) -> Option<&str> {
    header(response, "x-amzn-errortype").and_then(|v| v.split(':').next())
}

/// The `message` of a JSON error body.
pub(super) fn error_message(response: &http::Response<Vec<u8>>) -> String {
    let body: serde_json::Value = serde_json::from_slice(response.body()).expect("JSON body");
    body["message"].as_str().expect("message").to_owned()
}
