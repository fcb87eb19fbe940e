//! `transport::ReqwestClient` against a one-shot HTTP/1.1 server on 127.0.0.1
//! (feature `reqwest`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use botogen_runtime::transport::{HttpClient, ReqwestClient, Timeouts, TransportErrorKind};

/// What the server received: the request line, the headers (lower-cased names) and the body.
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Answers one request on a fresh local port with `response` after `delay` (at most 2 s).
fn serve_once(delay: Duration, response: &'static str) -> (SocketAddr, JoinHandle<Received>) {
    assert!(delay <= Duration::from_secs(2));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let length = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .map_or(0, |(_, value)| value.parse::<usize>().unwrap());
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        std::thread::sleep(delay);
        let mut stream = reader.into_inner();
        // The client may have given up already; a failed write is expected then.
        let _ = stream.write_all(response.as_bytes());
        let _ = stream.flush();
        Received {
            request_line: request_line.trim_end().to_owned(),
            headers,
            body,
        }
    });
    (addr, handle)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn post(addr: SocketAddr, path: &str, body: &str) -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method("POST")
        .uri(format!("http://{addr}{path}"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "Test.Op")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn sends_a_request_and_reads_the_response() {
    let (addr, server) = serve_once(
        Duration::ZERO,
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\
         x-amzn-RequestId: abc-123\r\nContent-Length: 27\r\nConnection: close\r\n\r\n\
         {\"__type\":\"ThrottlingErr\"}\n",
    );
    let client = ReqwestClient::new(Some(Duration::from_secs(5))).unwrap();
    let timeouts = Timeouts::default().with_read(Some(Duration::from_secs(5)));
    let response = runtime()
        .block_on(client.send(post(addr, "/things?x=1", "{\"a\":1}"), &timeouts))
        .unwrap();

    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["x-amzn-requestid"], "abc-123");
    assert_eq!(
        response.body().as_ref(),
        b"{\"__type\":\"ThrottlingErr\"}\n"
    );

    let received = server.join().unwrap();
    assert_eq!(received.request_line, "POST /things?x=1 HTTP/1.1");
    assert_eq!(received.body, b"{\"a\":1}");
    let header = |name: &str| {
        received
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("x-amz-target"), Some("Test.Op"));
    assert_eq!(header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(header("content-length"), Some("7"));
}

#[test]
fn read_timeout_is_a_timeout_error() {
    let (addr, server) = serve_once(
        Duration::from_secs(2),
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    let client = ReqwestClient::new(None).unwrap();
    let timeouts = Timeouts::default().with_read(Some(Duration::from_millis(200)));
    let start = Instant::now();
    let error = runtime()
        .block_on(client.send(post(addr, "/", ""), &timeouts))
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_transient());
    server.join().unwrap();
}

#[test]
fn refused_connection_is_a_connect_error() {
    // A port that was just free: nothing listens on it any more.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = ReqwestClient::new(Some(Duration::from_secs(2))).unwrap();
    let error = runtime()
        .block_on(client.send(post(addr, "/", ""), &Timeouts::NONE))
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error:?}");
    assert!(error.is_connect() && error.is_transient());
}

#[test]
fn builds_with_the_crate_tls_setup() {
    // TLS (rustls + ring + platform verifier) is set up without a process-wide provider.
    let builder = ReqwestClient::client_builder().unwrap();
    let client = ReqwestClient::from_client(builder.build().unwrap());
    assert!(format!("{client:?}").contains("ReqwestClient"));
}
