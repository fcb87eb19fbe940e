//! Serving connections: the accept loop, one thread per connection reading requests in turn
//! (HTTP/1.1 keep-alive), and the path of one request through signature check, fault
//! injection, the operation and the log.

use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::clock;
use super::config::ServerConfig;
use super::error::ApiError;
use super::faults::{self, FaultKind, FaultQueue};
use super::http::{self, ReadError, Request, Response};
use super::log::RequestRecord;
use super::operations;
use super::routes::{self, Route};
use super::sigv4_check::{self, SignatureVerdict};
use super::state::State;

/// How often the accept loop looks for a new connection or the order to stop.
const ACCEPT_POLL: Duration = Duration::from_millis(5);

/// How long a closing connection waits for more bytes from the client, per read.
const LINGER_READ: Duration = Duration::from_millis(100);

/// How long a closing connection drains what the client still sends, at most.
const LINGER_TOTAL: Duration = Duration::from_secs(1);

/// Everything the server's threads share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: ServerConfig,
    pub clock_offset: AtomicI64,
    pub state: Mutex<State>,
    pub faults: Mutex<FaultQueue>,
    pub log: Mutex<Vec<RequestRecord>>,
    pub shutdown: AtomicBool,
    /// Open connections, to close them when the server stops.
    pub connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
    requests_seen: AtomicU64,
    seed: u64,
}

/// Locks `mutex`, carrying on if a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What to do after a request.
enum Outcome {
    /// Write this response.
    Respond(Response),
    /// Close the connection without answering.
    Drop,
    /// Write these bytes, then close.
    Raw(Vec<u8>),
}

impl Shared {
    pub fn new(config: ServerConfig, seed: u64) -> Self {
        Shared {
            clock_offset: AtomicI64::new(config.clock_offset_seconds),
            config,
            state: Mutex::new(State::new(seed)),
            faults: Mutex::new(FaultQueue::default()),
            log: Mutex::new(Vec::new()),
            shutdown: AtomicBool::new(false),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
            requests_seen: AtomicU64::new(0),
            seed,
        }
    }

    /// The server's time, epoch milliseconds.
    pub fn now_millis(&self) -> i64 {
        clock::now_millis(self.clock_offset.load(Ordering::Relaxed))
    }

    fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// A request id unique to this server (and, by its seed, most likely to any other), in
    /// the UUID form AWS uses.
    fn next_request_id(&self) -> String {
        let n = self.requests_seen.fetch_add(1, Ordering::Relaxed) + 1;
        let seed = self.seed;
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            seed >> 32,
            (seed >> 16) & 0xffff,
            (seed >> 4) & 0xfff,
            (n >> 48) & 0xfff,
            n & 0xffff_ffff_ffff
        )
    }

    /// Sleeps `duration`, waking early when the server stops; false if it did.
    fn sleep(&self, duration: Duration) -> bool {
        let end = Instant::now() + duration;
        while !self.stopping() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(10)));
        }
        false
    }
}

/// Accepts connections until the server stops, a thread for each.
pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stopping() {
        match listener.accept() {
            Ok((stream, _)) => start_connection(stream, &shared),
            Err(_) => std::thread::sleep(ACCEPT_POLL),
        }
    }
}

fn start_connection(stream: TcpStream, shared: &Arc<Shared>) {
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let Ok(registered) = stream.try_clone() else {
        return;
    };
    let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
    lock(&shared.connections).insert(id, registered);
    let for_thread = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name(format!("cognito-server-conn-{id}"))
        .spawn(move || {
            serve(stream, &for_thread);
            lock(&for_thread.connections).remove(&id);
        });
    if spawned.is_err()
        && let Some(stream) = lock(&shared.connections).remove(&id)
    {
        let _ = stream.shutdown(Shutdown::Both);
    }
}

/// Serves the requests of one connection, in turn, until it closes.
fn serve(stream: TcpStream, shared: &Shared) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while !shared.stopping() {
        let request = match http::read_request(&mut reader, || http::write_continue(&mut writer)) {
            Ok(request) => request,
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(status, message)) => {
                let response = Response::new(status, "text/plain", message.into_bytes());
                let response = stamp(response, &shared.next_request_id(), shared);
                let _ = http::write_response(&mut writer, &response, true);
                break;
            }
        };
        let close = request.close;
        match respond(shared, request) {
            Outcome::Respond(response) => {
                if http::write_response(&mut writer, &response, close).is_err() || close {
                    break;
                }
            }
            Outcome::Drop => break,
            Outcome::Raw(bytes) => {
                let _ = writer.write_all(&bytes).and_then(|()| writer.flush());
                break;
            }
        }
    }
    linger(reader.into_inner(), shared);
}

/// Closes a connection gently: the write side first (the client sees the end of the
/// stream), then whatever the client still sends is read and dropped for a moment, so that
/// closing with unread bytes does not reset the connection and destroy the last response.
fn linger(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.shutdown(Shutdown::Write);
    if !shared.stopping() && stream.set_read_timeout(Some(LINGER_READ)).is_ok() {
        let started = Instant::now();
        let mut buffer = [0; 8192];
        while started.elapsed() < LINGER_TOTAL && matches!(stream.read(&mut buffer), Ok(n) if n > 0)
        {
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Adds the headers every response carries: `Date` (the server's time) and
/// `x-amzn-RequestId`.
fn stamp(response: Response, request_id: &str, shared: &Shared) -> Response {
    let date = clock::format_http_date(shared.now_millis().div_euclid(1000));
    response
        .with_header("Date", &date)
        .with_header("x-amzn-RequestId", request_id)
}

/// One request: signature check, fault, operation, log.
fn respond(shared: &Shared, request: Request) -> Outcome {
    let request_id = shared.next_request_id();
    let route = routes::route(&request.method, &request.path);
    let operation = route.as_ref().map(|r| r.operation.name());
    let now = shared.now_millis().div_euclid(1000);
    let (signature, fault, outcome) = match sigv4_check::verify(&request, &shared.config, now) {
        Err((verdict, error)) => (verdict, None, Outcome::Respond(error.into_response())),
        Ok(()) => {
            let fault = lock(&shared.faults).take(operation);
            let outcome = with_fault(shared, fault.as_ref(), route.as_ref(), &request);
            (SignatureVerdict::Valid, fault, outcome)
        }
    };
    let (outcome, status) = match outcome {
        Outcome::Respond(response) => {
            let status = response.status;
            (
                Outcome::Respond(stamp(response, &request_id, shared)),
                Some(status),
            )
        }
        other => (other, None),
    };
    lock(&shared.log).push(RequestRecord {
        request_id,
        operation,
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
        body: request.body,
        signature,
        fault,
        status,
    });
    outcome
}

/// The answer to an authenticated request that took `fault` (if any).
fn with_fault(
    shared: &Shared,
    fault: Option<&FaultKind>,
    route: Option<&Route>,
    request: &Request,
) -> Outcome {
    match fault {
        None => Outcome::Respond(handle(shared, route, request)),
        Some(FaultKind::Status {
            status,
            code,
            message,
        }) => Outcome::Respond(ApiError::new(*status, code, message.clone()).into_response()),
        Some(FaultKind::DropConnection) => Outcome::Drop,
        Some(FaultKind::Delay(duration)) => {
            if shared.sleep(*duration) {
                Outcome::Respond(handle(shared, route, request))
            } else {
                Outcome::Drop
            }
        }
        Some(FaultKind::InvalidJson) => {
            let handled = handle(shared, route, request);
            let body = faults::truncate_json(&handled.body);
            Outcome::Respond(Response::new(200, "application/json", body))
        }
        Some(FaultKind::WrongContentType) => Outcome::Respond(Response::new(
            200,
            "text/html; charset=utf-8",
            faults::HTML_PAGE.as_bytes().to_vec(),
        )),
        Some(FaultKind::Raw(bytes)) => Outcome::Raw(bytes.clone()),
    }
}

/// The service's own answer: the operation's output, or its error.
fn handle(shared: &Shared, route: Option<&Route>, request: &Request) -> Response {
    let Some(route) = route else {
        return ApiError::unknown_operation().into_response();
    };
    let now = shared.now_millis();
    let result = operations::handle(route, request, &mut lock(&shared.state), now);
    match result {
        Ok(output) => Response::new(200, "application/json", output.to_string().into_bytes()),
        Err(error) => error.into_response(),
    }
}
