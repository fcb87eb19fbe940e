//! Malformed input gets an answer (or a closed connection), never a panic or a hang; the
//! server stops when dropped.

use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;

use super::*;
use crate::cognito_server::MAX_BODY;

fn status_of(server: &CognitoServer, bytes: &[u8]) -> Option<u16> {
    let mut client = Client::connect(server);
    client.send_raw(bytes);
    let status = client.read_response().ok().map(|r| r.status().as_u16());
    assert!(
        client.is_closed(),
        "closed after {:?}",
        String::from_utf8_lossy(bytes)
    );
    status
}

#[test]
fn malformed_http_is_refused() {
    let server = start();
    let big = format!(
        "POST /identitypools HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY + 1
    );
    let cases: [(&[u8], u16); 6] = [
        (big.as_bytes(), 413),
        (b"POST /identitypools HTTP/1.1\r\nContent-Length: 999999999999999999999999\r\n\r\n", 413),
        (b"POST /identitypools HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /identitypools HTTP/1.1\r\nbroken header\r\n\r\n", 400),
        (b"GET /identitypools HTTP/9.9\r\n\r\n", 505),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            status_of(&server, bytes),
            Some(expected),
            "{}",
            String::from_utf8_lossy(bytes)
        );
    }
    // Unsigned but well-formed: an answer, and the connection stays open.
    let mut client = Client::connect(&server);
    client.send_raw(b"GET /identitypools HTTP/1.1\r\nHost: x\r\n\r\n");
    let response = client.read_response().expect("answer");
    assert_eq!(
        error_code(&response),
        Some("MissingAuthenticationTokenException")
    );
    assert!(header(&response, "date").is_some());
}

#[test]
fn random_bytes_never_stop_the_server() {
    let server = start();
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces: [&[u8]; 10] = [
        b"GET ",
        b"POST ",
        b"/identitypools/a%3A1/identities/b%3A2/datasets/d",
        b" HTTP/1.1\r\n",
        b"Content-Length: 3\r\n",
        b"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/cognito-sync/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n",
        b"X-Amz-Date: 20150830T123600Z\r\n",
        b"\r\n",
        b"{\"\xff",
        b"%%%\x00\n",
    ];
    for _ in 0..200 {
        let mut bytes = Vec::new();
        for _ in 0..(next() % 8) {
            bytes.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
        }
        bytes.extend_from_slice(b"\r\n\r\n");
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        use std::io::Write;
        let _ = stream.write_all(&bytes);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
    // Still serving.
    assert_eq!(
        call(&server, list_records_request("d", None, None, None)).status(),
        200
    );
}

#[test]
fn dropping_the_server_stops_it() {
    let server = start();
    let addr = server.addr();
    let mut idle = Client::connect(&server);
    idle.set_read_timeout(Duration::from_secs(5));
    assert_eq!(
        idle.call(&signed(
            &server,
            list_records_request("d", None, None, None)
        ))
        .status(),
        200
    );
    drop(server);
    assert!(idle.is_closed(), "idle keep-alive connection closed");
    assert!(TcpStream::connect(addr).is_err(), "listener closed");
}
