//! Compares the generated `botogen-cognito-sync` crate with the official
//! `aws-sdk-cognitosync` on the same work, row by row. See `README.md` for what each row
//! includes on each side.
//!
//! Usage: `botogen-bench [--iterations N] [--warmup N] [--row NAME] [--side ours|sdk|sdk-unsigned]`

mod fixtures;
mod ours;
mod sdk;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The rows of the table, in order.
const ROWS: [&str; 3] = [
    "update_records_request",
    "list_records_response_1000",
    "error_response",
];

/// Which implementation(s) to run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Sdk,
    /// The SDK with `allow_no_auth()` and no credentials: no SigV4.
    SdkUnsigned,
}

impl Side {
    fn parse(text: &str) -> Option<Side> {
        match text {
            "ours" => Some(Side::Ours),
            "sdk" => Some(Side::Sdk),
            "sdk-unsigned" => Some(Side::SdkUnsigned),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Sdk => "sdk",
            Side::SdkUnsigned => "sdk-unsigned",
        }
    }
}

/// Command-line options.
struct Options {
    iterations: usize,
    warmup: Option<usize>,
    row: Option<String>,
    side: Option<Side>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        iterations: 1000,
        warmup: None,
        row: None,
        side: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--iterations" => {
                options.iterations = value()?.parse().map_err(|e| format!("--iterations: {e}"))?;
            }
            "--warmup" => {
                options.warmup = Some(value()?.parse().map_err(|e| format!("--warmup: {e}"))?);
            }
            "--row" => {
                let row = value()?;
                if !ROWS.contains(&row.as_str()) {
                    return Err(format!("unknown row {row:?}; rows: {}", ROWS.join(", ")));
                }
                options.row = Some(row);
            }
            "--side" => {
                let side = value()?;
                options.side =
                    Some(Side::parse(&side).ok_or_else(|| {
                        format!("unknown side {side:?}; ours, sdk or sdk-unsigned")
                    })?);
            }
            "-h" | "--help" => {
                return Err(String::from(
                    "usage: botogen-bench [--iterations N] [--warmup N] [--row NAME] \
                     [--side ours|sdk|sdk-unsigned]",
                ));
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.iterations == 0 {
        return Err(String::from("--iterations must be at least 1"));
    }
    Ok(options)
}

/// Per-iteration wall times of one row and side, sorted.
struct Samples(Vec<Duration>);

impl Samples {
    fn new(mut samples: Vec<Duration>) -> Samples {
        samples.sort_unstable();
        Samples(samples)
    }

    /// The value at quantile `q` (nearest rank) in microseconds.
    fn quantile_us(&self, q: f64) -> f64 {
        let rank = ((q * self.0.len() as f64).ceil() as usize).clamp(1, self.0.len());
        self.0[rank - 1].as_secs_f64() * 1e6
    }

    fn median_us(&self) -> f64 {
        self.quantile_us(0.5)
    }

    fn min_us(&self) -> f64 {
        self.quantile_us(0.0)
    }

    fn p90_us(&self) -> f64 {
        self.quantile_us(0.9)
    }
}

/// Times `iteration` `warmup + iterations` times and keeps the last `iterations`.
fn time_sync(warmup: usize, iterations: usize, mut iteration: impl FnMut()) -> Samples {
    for _ in 0..warmup {
        iteration();
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        iteration();
        samples.push(start.elapsed());
    }
    Samples::new(samples)
}

/// Like [`time_sync`] for an async iteration, all inside one `block_on`.
fn time_async<F: Future<Output = ()>>(
    runtime: &tokio::runtime::Runtime,
    warmup: usize,
    iterations: usize,
    mut iteration: impl FnMut() -> F,
) -> Samples {
    runtime.block_on(async {
        for _ in 0..warmup {
            iteration().await;
        }
        let mut samples = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let start = Instant::now();
            iteration().await;
            samples.push(start.elapsed());
        }
        Samples::new(samples)
    })
}

/// Runs one row on one side: verification happens before, in [`verify`].
fn run(
    runtime: &tokio::runtime::Runtime,
    fx: &fixtures::Fixtures,
    row: &str,
    side: Side,
    warmup: usize,
    iterations: usize,
) -> Samples {
    match (row, side) {
        ("update_records_request", Side::Ours) => time_sync(warmup, iterations, || {
            black_box(ours::update_records_request(black_box(fx)));
        }),
        ("update_records_request", Side::Sdk | Side::SdkUnsigned) => {
            let client = sdk::client(
                sdk::CannedClient::new(200, &[], fixtures::UPDATE_RECORDS_OK),
                side == Side::Sdk,
            );
            time_async(runtime, warmup, iterations, || async {
                black_box(sdk::update_records(&client, black_box(fx)).await.unwrap());
            })
        }
        ("list_records_response_1000", Side::Ours) => {
            let response = fx.list_records_response();
            time_sync(warmup, iterations, || {
                let _ = black_box(ours::list_records(black_box(&response)));
            })
        }
        ("list_records_response_1000", _) => {
            let client = sdk::client(fx.list_records_canned(), side == Side::Sdk);
            time_async(runtime, warmup, iterations, || async {
                black_box(sdk::list_records(&client).await.unwrap());
            })
        }
        ("error_response", Side::Ours) => {
            let response = fixtures::error_response();
            time_sync(warmup, iterations, || {
                let _ = black_box(ours::error(black_box(&response)));
            })
        }
        ("error_response", _) => {
            let client = sdk::client(sdk::CannedClient::error(), side == Side::Sdk);
            time_async(runtime, warmup, iterations, || async {
                black_box(sdk::update_records_minimal(&client).await.unwrap_err());
            })
        }
        _ => unreachable!("unknown row {row}"),
    }
}

/// Checks once that both sides do equivalent work and produce equivalent results.
fn verify(
    runtime: &tokio::runtime::Runtime,
    fx: &fixtures::Fixtures,
    row: &str,
) -> Result<String, String> {
    match row {
        "update_records_request" => {
            let ours = ours::update_records_request(fx);
            let signed = runtime.block_on(sdk::capture_update_records(fx, true));
            let unsigned = runtime.block_on(sdk::capture_update_records(fx, false));
            if signed.headers().get("authorization").is_none() {
                return Err(String::from("the SDK request is not signed"));
            }
            if unsigned.headers().get("authorization").is_some() {
                return Err(String::from("the sdk-unsigned request is signed"));
            }
            for sdk in [&signed, &unsigned] {
                let path = ours.uri().to_string();
                if !sdk.uri().ends_with(&path) {
                    return Err(format!("paths differ: ours {path}, SDK {}", sdk.uri()));
                }
                if ours.method().as_str() != sdk.method() {
                    return Err(format!(
                        "methods differ: ours {}, SDK {}",
                        ours.method(),
                        sdk.method()
                    ));
                }
                let sdk_body = sdk.body().bytes().ok_or("SDK body is streaming")?;
                fixtures::same_json(ours.body(), sdk_body)?;
            }
            Ok(format!(
                "same method, path and JSON body ({} bytes ours, {} bytes SDK); SDK headers: {}",
                ours.body().len(),
                signed.body().bytes().map_or(0, <[u8]>::len),
                signed
                    .headers()
                    .iter()
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        "list_records_response_1000" => {
            let ours = ours::list_records(&fx.list_records_response())
                .map_err(|e| format!("ours failed: {e:?}"))?;
            let client = sdk::client(fx.list_records_canned(), true);
            let sdk = runtime
                .block_on(sdk::list_records(&client))
                .map_err(|e| format!("SDK failed: {e:?}"))?;
            fixtures::same_list_records(&ours, &sdk)?;
            Ok(format!(
                "{} records on both sides, every field equal ({} byte body)",
                sdk.records().len(),
                fx.list_records_body.len()
            ))
        }
        "error_response" => {
            let ours = ours::error(&fixtures::error_response());
            let client = sdk::client(sdk::CannedClient::error(), true);
            let sdk = runtime.block_on(sdk::update_records_minimal(&client));
            let ours_message = match &ours {
                Err(botogen_cognito_sync::operation::update_records::UpdateRecordsError::ResourceConflictException(e)) => {
                    e.message.clone()
                }
                other => return Err(format!("ours: wrong result {other:?}")),
            };
            let sdk_message = match sdk.map_err(|e| e.into_service_error()) {
                Err(aws_sdk_cognitosync::operation::update_records::UpdateRecordsError::ResourceConflictException(e)) => {
                    Some(e.message().to_owned())
                }
                other => return Err(format!("SDK: wrong result {other:?}")),
            };
            if ours_message.as_deref() != Some(fixtures::ERROR_MESSAGE)
                || sdk_message != ours_message
            {
                return Err(format!(
                    "messages differ: ours {ours_message:?}, SDK {sdk_message:?}"
                ));
            }
            Ok(String::from(
                "ResourceConflictException with the same message on both sides",
            ))
        }
        _ => unreachable!(),
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let fx = fixtures::Fixtures::new();
    let warmup = options
        .warmup
        .unwrap_or((options.iterations / 10).clamp(1, 500));
    let rows: Vec<&str> = ROWS
        .iter()
        .copied()
        .filter(|row| options.row.as_deref().is_none_or(|r| r == *row))
        .collect();

    let mut table = Vec::new();
    for row in rows {
        match verify(&runtime, &fx, row) {
            Ok(note) => eprintln!("verified {row}: {note}"),
            Err(problem) => {
                eprintln!("verification of {row} FAILED: {problem}");
                return ExitCode::FAILURE;
            }
        }
        let mut results = Vec::new();
        for side in [Side::Ours, Side::Sdk, Side::SdkUnsigned] {
            if options.side.is_some_and(|s| s != side) {
                continue;
            }
            let samples = run(&runtime, &fx, row, side, warmup, options.iterations);
            results.push((side, samples));
        }
        table.push((row, results));
    }

    println!(
        "{} timed iterations (+{warmup} warm-up) per row and side; per-iteration wall time in µs",
        options.iterations
    );
    println!();
    println!("| row | side | median | min | p90 | median vs ours |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for (row, results) in &table {
        let ours_median = results
            .iter()
            .find(|(side, _)| *side == Side::Ours)
            .map(|(_, s)| s.median_us());
        for (side, samples) in results {
            let ratio = match ours_median {
                Some(base) if *side != Side::Ours => format!("{:.1}x", samples.median_us() / base),
                Some(_) => String::from("1.0x"),
                None => String::from("-"),
            };
            println!(
                "| {row} | {} | {:.2} | {:.2} | {:.2} | {ratio} |",
                side.name(),
                samples.median_us(),
                samples.min_us(),
                samples.p90_us()
            );
        }
    }
    println!();
    println!(
        "sdk = send() through the SDK orchestrator with an in-memory HTTP client: it also resolves \
         the endpoint and signs with SigV4 (sdk-unsigned: the same without signing); in row 1 it \
         also parses the canned 200 answer, in rows 2 and 3 it also builds and serializes a \
         request (row 3: UpdateRecords without patches). ours = builders + serialize_request, or \
         parse_response alone (no endpoint, no signing yet)."
    );
    ExitCode::SUCCESS
}
