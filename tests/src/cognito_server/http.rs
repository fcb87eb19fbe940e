//! HTTP/1.1 on a byte stream, as much as the server needs: reading a request (request line,
//! headers, a `Content-Length` body) with limits on every part, and writing a response.
//!
//! Framing the server does not support is refused rather than guessed at: a body sent with
//! `Transfer-Encoding` (chunked) or with several different `Content-Length`s gets 400, a body
//! over [`MAX_BODY`] gets 413, and the connection is closed after either.

use std::io::{self, BufRead, Read, Write};

/// The largest request body read, in bytes (1 MiB); a larger `Content-Length` gets 413.
pub const MAX_BODY: usize = 1 << 20;

/// The longest request line, in bytes.
const MAX_REQUEST_LINE: usize = 16 * 1024;

/// The largest header section (all header lines), in bytes.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The most header lines in one request.
const MAX_HEADERS: usize = 200;

/// A request as read off the wire; the target is kept as sent (still percent-encoded).
#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// The method, such as `GET`.
    pub method: String,
    /// The path of the request target, as sent.
    pub path: String,
    /// The query of the request target (after `?`, without it), as sent; empty if none.
    pub query: String,
    /// The headers in the order received, names as sent; values as text (bytes that are not
    /// UTF-8 replaced).
    pub headers: Vec<(String, String)>,
    /// The body (`Content-Length` bytes).
    pub body: Vec<u8>,
    /// Whether the client asked to close the connection after this request
    /// (`Connection: close`, or HTTP/1.0 without `keep-alive`).
    pub close: bool,
}

impl Request {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of header `name` (any case), in the order received.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request was read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The peer closed the connection (or it failed) before a request started, or in the
    /// middle of one; nothing to answer.
    Closed,
    /// The bytes are not a request the server can read: answer with this status and message,
    /// then close the connection.
    Bad(u16, String),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Closed
    }
}

/// Reads one line ending in `\n` of at most `limit` bytes, without the line ending.
/// `Ok(None)` at end of stream before any byte.
fn read_line(
    reader: &mut impl BufRead,
    limit: usize,
    what: &str,
) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let read = Read::take(&mut *reader, limit as u64 + 1).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return if line.len() > limit {
            Err(ReadError::Bad(431, format!("{what} too long")))
        } else {
            Err(ReadError::Closed)
        };
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Reads the next request of a connection.
///
/// `on_continue` is called (to write `100 Continue`) when the client sent
/// `Expect: 100-continue` and the body is about to be read.
pub(crate) fn read_request(
    reader: &mut impl BufRead,
    on_continue: impl FnOnce() -> io::Result<()>,
) -> Result<Request, ReadError> {
    // Tolerate empty lines before a request (RFC 9112, section 2.2).
    let mut request_line = String::new();
    for _ in 0..8 {
        match read_line(reader, MAX_REQUEST_LINE, "request line")? {
            None => return Err(ReadError::Closed),
            Some(line) if line.is_empty() => continue,
            Some(line) => {
                request_line = line;
                break;
            }
        }
    }
    let bad = |message: &str| ReadError::Bad(400, message.to_owned());
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad("malformed method"));
    }
    let http_1_0 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Bad(505, "HTTP version not supported".to_owned())),
    };
    if !target.starts_with('/') {
        return Err(bad("the request target must be a path"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut headers = Vec::new();
    let mut header_bytes = 0;
    loop {
        let Some(line) = read_line(reader, MAX_HEADER_BYTES, "header line")? else {
            return Err(ReadError::Closed);
        };
        if line.is_empty() {
            break;
        }
        header_bytes += line.len() + 2;
        if header_bytes > MAX_HEADER_BYTES || headers.len() >= MAX_HEADERS {
            return Err(ReadError::Bad(431, "header section too large".to_owned()));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad("malformed header line"));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(bad("malformed header name"));
        }
        headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
    }
    let mut request = Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: Vec::new(),
        close: false,
    };
    let connection = request
        .header_values("connection")
        .collect::<Vec<_>>()
        .join(",");
    let has_token = |token: &str| {
        connection
            .split(',')
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    request.close = has_token("close") || (http_1_0 && !has_token("keep-alive"));

    if request.header("transfer-encoding").is_some() {
        return Err(bad(
            "Transfer-Encoding is not supported: send the body with Content-Length",
        ));
    }
    let length = content_length(&request)?;
    if length > MAX_BODY {
        return Err(ReadError::Bad(
            413,
            format!("request body of {length} bytes is over the limit of {MAX_BODY} bytes"),
        ));
    }
    if length > 0 {
        let expects_continue = request
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
        if expects_continue {
            on_continue()?;
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        request.body = body;
    }
    Ok(request)
}

/// The `Content-Length` of a request: 0 without the header; several headers must agree.
fn content_length(request: &Request) -> Result<usize, ReadError> {
    let mut length = None;
    for value in request.header_values("content-length") {
        for item in value.split(',') {
            let item = item.trim();
            if item.is_empty() || !item.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ReadError::Bad(400, "malformed Content-Length".to_owned()));
            }
            // Too many digits for usize is certainly over the limit.
            let parsed = item.parse::<usize>().unwrap_or(usize::MAX);
            if length.is_some_and(|l| l != parsed) {
                return Err(ReadError::Bad(400, "conflicting Content-Length".to_owned()));
            }
            length = Some(parsed);
        }
    }
    Ok(length.unwrap_or(0))
}

/// Whether `byte` may appear in a header name (an RFC 9110 token).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// A response to write.
#[derive(Clone, Debug)]
pub(crate) struct Response {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`, which [`write_response`] adds.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `status`, a `Content-Type` and `body`.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// The reason phrase of `status` (any text is allowed; these are the usual ones).
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Writes `response` in one piece, adding `Content-Length`, and `Connection: close` when
/// `close` is set.
pub(crate) fn write_response(
    out: &mut impl Write,
    response: &Response,
    close: bool,
) -> io::Result<()> {
    let mut bytes = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        bytes.push_str(&format!("{name}: {value}\r\n"));
    }
    bytes.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    if close {
        bytes.push_str("Connection: close\r\n");
    }
    bytes.push_str("\r\n");
    let mut bytes = bytes.into_bytes();
    bytes.extend_from_slice(&response.body);
    out.write_all(&bytes)?;
    out.flush()
}

/// Writes the interim `100 Continue` response.
pub(crate) fn write_continue(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, ReadError> {
        read_request(&mut io::BufReader::new(bytes), || Ok(()))
    }

    fn status(result: Result<Request, ReadError>) -> u16 {
        match result {
            Ok(_) => 0,
            Err(ReadError::Closed) => 1,
            Err(ReadError::Bad(status, _)) => status,
        }
    }

    #[test]
    fn reads_requests_in_sequence() {
        let wire = b"POST /a%3Ab?x=1&y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}\
                     GET /c HTTP/1.1\r\nConnection: close\r\n\r\n";
        let mut reader = io::BufReader::new(&wire[..]);
        let first = read_request(&mut reader, || Ok(())).unwrap();
        assert_eq!(
            (
                first.method.as_str(),
                first.path.as_str(),
                first.query.as_str()
            ),
            ("POST", "/a%3Ab", "x=1&y")
        );
        assert_eq!((first.body.as_slice(), first.close), (&b"{}"[..], false));
        assert_eq!(first.header("HOST"), Some("h"));
        let second = read_request(&mut reader, || Ok(())).unwrap();
        assert_eq!((second.path.as_str(), second.close), ("/c", true));
        assert!(matches!(
            read_request(&mut reader, || Ok(())),
            Err(ReadError::Closed)
        ));
    }

    #[test]
    fn refuses_what_it_cannot_frame() {
        assert_eq!(
            status(read(
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            )),
            400
        );
        assert_eq!(
            status(read(
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"
            )),
            413
        );
        assert_eq!(
            status(read(b"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n")),
            413
        );
        assert_eq!(
            status(read(b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")),
            400
        );
        assert_eq!(
            status(read(
                b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
            )),
            400
        );
        assert_eq!(status(read(b"GET / HTTP/2.0\r\n\r\n")), 505);
        assert_eq!(status(read(b"GET http://x/ HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(status(read(b"GET  / HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(status(read(b"GET / HTTP/1.1\r\nno colon\r\n\r\n")), 400);
        assert_eq!(status(read(b"GET / HTTP/1.1\r\nbad name: v\r\n\r\n")), 400);
        assert_eq!(status(read(b"\xff\xfe / HTTP/1.1\r\n\r\n")), 400);
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(status(read(long.as_bytes())), 431);
        // Cut short: nothing to answer.
        assert_eq!(status(read(b"GET / HTTP/1.1\r\nHost: x")), 1);
        assert_eq!(
            status(read(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")),
            1
        );
        assert_eq!(status(read(b"")), 1);
    }

    #[test]
    fn writes_a_response() {
        let mut out = Vec::new();
        let response = Response::new(404, "application/json", b"{}".to_vec()).with_header("A", "b");
        write_response(&mut out, &response, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nA: b\r\n\
             Content-Length: 2\r\nConnection: close\r\n\r\n{}"
        );
    }
}
