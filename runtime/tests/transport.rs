//! `transport`: the replay client, `with_timeout` and errors, driven by a minimal executor
//! (no async runtime).

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant};

use botogen_runtime::transport::{
    HttpClient, ReplayClient, Timeouts, TransportError, TransportErrorKind, with_timeout,
};
use bytes::Bytes;

/// Wakes the blocked thread by unparking it.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Drives `future` to completion on this thread, parking while it is pending.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

fn request(path: &str, body: &str) -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method("POST")
        .uri(format!("https://example.amazonaws.com{path}"))
        .header("x-amz-target", "Test.Op")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

fn response(status: u16, body: &'static str) -> http::Response<&'static str> {
    http::Response::builder()
        .status(status)
        .header("x-amzn-requestid", "req-1")
        .body(body)
        .unwrap()
}

fn send(
    client: &dyn HttpClient,
    req: http::Request<Vec<u8>>,
    timeouts: Timeouts,
) -> Result<http::Response<Bytes>, TransportError> {
    block_on(client.send(req, &timeouts))
}

#[test]
fn replay_answers_in_order_and_records_requests() {
    let client = ReplayClient::new([response(200, "first"), response(404, "second")]);
    assert_eq!(client.remaining(), 2);

    let timeouts = Timeouts::default().with_read(Some(Duration::from_secs(5)));
    let first = send(&client, request("/a", "one"), timeouts).unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.body().as_ref(), b"first");
    assert_eq!(first.headers()["x-amzn-requestid"], "req-1");
    let second = send(&client, request("/b", "two"), Timeouts::NONE).unwrap();
    assert_eq!(second.status(), 404);
    assert_eq!(second.body().as_ref(), b"second");

    assert_eq!(client.calls(), 2);
    assert_eq!(client.remaining(), 0);
    let requests = client.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method(), "POST");
    assert_eq!(requests[0].uri().path(), "/a");
    assert_eq!(requests[0].headers()["x-amz-target"], "Test.Op");
    assert_eq!(requests[0].body(), b"one");
    assert_eq!(requests[1].uri().path(), "/b");
    assert_eq!(requests[1].body(), b"two");
    assert_eq!(client.timeouts(), vec![timeouts, Timeouts::NONE]);
}

#[test]
fn replay_body_types() {
    let client = ReplayClient::new([http::Response::new(vec![1_u8, 2, 3])]);
    let got = send(&client, request("/", ""), Timeouts::NONE).unwrap();
    assert_eq!(got.body().as_ref(), [1, 2, 3]);
    let client = ReplayClient::new([http::Response::new(String::from("text"))]);
    let got = send(&client, request("/", ""), Timeouts::NONE).unwrap();
    assert_eq!(got.body().as_ref(), b"text");
}

#[test]
fn replay_runs_out_with_a_clear_error() {
    let client = ReplayClient::new([response(200, "only")]);
    send(&client, request("/", ""), Timeouts::NONE).unwrap();
    let error = send(&client, request("/again", ""), Timeouts::NONE).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Other);
    assert!(!error.is_transient());
    let text = error.to_string();
    assert!(text.contains("no response left for call 1"), "{text}");
    assert!(text.contains("given 1 response"), "{text}");
    // The request that found nothing is still recorded.
    assert_eq!(client.requests().len(), 2);
    assert_eq!(client.requests()[1].uri().path(), "/again");
}

#[test]
fn replay_injected_error_does_not_use_up_a_response() {
    let client = ReplayClient::new([response(200, "a"), response(200, "b")])
        .with_error(0, TransportError::connect("connection refused"))
        .with_error(2, TransportError::io("connection reset"));

    let error = send(&client, request("/0", ""), Timeouts::NONE).unwrap_err();
    assert!(error.is_connect());
    assert!(error.is_transient());
    assert_eq!(error.to_string(), "connection failed: connection refused");
    assert_eq!(
        send(&client, request("/1", ""), Timeouts::NONE)
            .unwrap()
            .body()
            .as_ref(),
        b"a"
    );
    let error = send(&client, request("/2", ""), Timeouts::NONE).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Io);
    assert_eq!(
        send(&client, request("/3", ""), Timeouts::NONE)
            .unwrap()
            .body()
            .as_ref(),
        b"b"
    );
    assert_eq!(client.calls(), 4);
    assert_eq!(client.requests().len(), 4);
}

#[test]
fn replay_injected_delay() {
    let delay = Duration::from_millis(100);
    let client =
        ReplayClient::new([response(200, "fast"), response(200, "slow")]).with_delay(1, delay);

    let start = Instant::now();
    send(&client, request("/", ""), Timeouts::NONE).unwrap();
    assert!(start.elapsed() < delay, "call 0 was not delayed");

    let start = Instant::now();
    let slow = send(&client, request("/", ""), Timeouts::NONE).unwrap();
    assert!(
        start.elapsed() >= delay,
        "call 1 took {:?}",
        start.elapsed()
    );
    assert_eq!(slow.body().as_ref(), b"slow");
}

#[test]
fn replay_delay_beyond_read_timeout_times_out() {
    let client = ReplayClient::new([response(200, "late"), response(200, "on time")])
        .with_delay(0, Duration::from_secs(2))
        .with_delay(1, Duration::from_millis(10));
    let timeouts = Timeouts::default().with_read(Some(Duration::from_millis(50)));

    let start = Instant::now();
    let error = send(&client, request("/", ""), timeouts).unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(error.is_transient());
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );

    let ok = send(&client, request("/", ""), timeouts).unwrap();
    assert_eq!(ok.body().as_ref(), b"on time");
}

#[test]
fn replay_from_closure() {
    let client = Arc::new(ReplayClient::from_fn(|request| {
        if request.uri().path() == "/fail" {
            return Err(TransportError::timeout("scripted"));
        }
        Ok(http::Response::new(Bytes::from(request.body().clone())))
    }));
    // Through `Arc<dyn HttpClient>`, as a client would hold it.
    let shared: Arc<dyn HttpClient> = client.clone();
    let echoed = send(&shared, request("/echo", "hello"), Timeouts::NONE).unwrap();
    assert_eq!(echoed.body().as_ref(), b"hello");
    assert!(
        send(&shared, request("/fail", ""), Timeouts::NONE)
            .unwrap_err()
            .is_timeout()
    );
    assert_eq!(client.calls(), 2);
    assert_eq!(client.remaining(), 0);
    assert_eq!(client.requests()[1].uri().path(), "/fail");
}

#[test]
fn replay_is_shared_across_threads() {
    let client = Arc::new(ReplayClient::new(
        (0..8).map(|_| response(200, "ok")).collect::<Vec<_>>(),
    ));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                send(&*client, request(&format!("/{i}"), ""), Timeouts::NONE).unwrap()
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap().status(), 200);
    }
    assert_eq!(client.requests().len(), 8);
    assert_eq!(client.remaining(), 0);
}

#[test]
fn with_timeout_passes_results_through() {
    assert_eq!(block_on(with_timeout(None, async { 7 })).unwrap(), 7);
    assert_eq!(
        block_on(with_timeout(Some(Duration::from_secs(10)), async { 8 })).unwrap(),
        8
    );
    // Ready futures win even against a zero timeout.
    assert_eq!(
        block_on(with_timeout(Some(Duration::ZERO), async { 9 })).unwrap(),
        9
    );
    // A deadline too far to represent means no limit.
    assert_eq!(
        block_on(with_timeout(Some(Duration::MAX), async { 10 })).unwrap(),
        10
    );
}

#[test]
fn with_timeout_expires_on_a_pending_future() {
    let start = Instant::now();
    let error = block_on(with_timeout(
        Some(Duration::from_millis(30)),
        std::future::pending::<()>(),
    ))
    .unwrap_err();
    assert!(error.is_timeout());
    assert!(error.to_string().starts_with("timed out"), "{error}");
    assert!(start.elapsed() >= Duration::from_millis(30));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn with_timeout_lets_a_slower_inner_future_finish_in_time() {
    // The inner replay delay (20 ms) is within the outer limit (1 s).
    let client = ReplayClient::new([response(200, "ok")]).with_delay(0, Duration::from_millis(20));
    let result = block_on(with_timeout(
        Some(Duration::from_secs(1)),
        client.send(request("/", ""), &Timeouts::NONE),
    ))
    .unwrap()
    .unwrap();
    assert_eq!(result.status(), 200);
}

#[test]
fn transport_error_parts() {
    use std::error::Error as _;
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
    let error = TransportError::io("while reading the body").with_source(io);
    assert_eq!(error.kind(), TransportErrorKind::Io);
    assert_eq!(error.message(), "while reading the body");
    assert_eq!(error.to_string(), "I/O error: while reading the body");
    assert_eq!(error.source().unwrap().to_string(), "reset by peer");
    assert!(!error.is_timeout() && !error.is_connect() && error.is_transient());
    assert!(!TransportError::other("x").is_transient());
    assert_eq!(
        TransportError::new(TransportErrorKind::Timeout, "").to_string(),
        "timed out"
    );
}
