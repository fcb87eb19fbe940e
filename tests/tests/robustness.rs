//! Property tests: no response parser panics on arbitrary bytes, arbitrary JSON or mutated
//! valid bodies, whatever the status and headers; and `serde` round trips hold for
//! generated values. A small deterministic PRNG drives them, so failures reproduce.

use botogen_cognito_sync::operation::*;
use botogen_cognito_sync::primitives::DateTime;
use botogen_cognito_sync::types::*;

/// xorshift64*: small, deterministic, good enough to explore inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", " ", ":", "/", "\"", "\\", "é", "😹", "\u{0}", "\n", "{", "null", "-",
        ];
        (0..self.below(8)).map(|_| *self.pick(PIECES)).collect()
    }

    /// A random JSON text: nested objects and arrays of every kind of value, sometimes using
    /// the member names the Cognito Sync outputs have, so parsers go deep.
    fn json(&mut self, depth: usize) -> String {
        const KEYS: &[&str] = &[
            "Records",
            "Key",
            "Value",
            "SyncCount",
            "LastModifiedDate",
            "Datasets",
            "Count",
            "NextToken",
            "message",
            "__type",
            "code",
            "IdentityPoolUsages",
            "Events",
            "PushSync",
            "ApplicationArns",
            "CognitoStreams",
            "Dataset",
            "IdentityUsage",
            "DataStorage",
            "MergedDatasetNames",
        ];
        match (self.below(if depth > 4 { 6 } else { 9 }), depth) {
            (0, _) => "null".to_owned(),
            (1, _) => ["true", "false"][self.below(2)].to_owned(),
            (2, _) => [
                "0",
                "-1",
                "1.5",
                "1e308",
                "1e999",
                "-0",
                "12345678901234567890",
                "NaN",
            ][self.below(8)]
            .to_owned(),
            (3, _) => format!("{:?}", self.string()),
            (4, _) => format!(
                "\"{}\"",
                ["2019-12-16T23:48:18Z", "Mon, 16 Dec 2019 23:48:18 GMT", "x"][self.below(3)]
            ),
            (5, _) => ["\"replace\"", "\"APNS\"", "\"ENABLED\""][self.below(3)].to_owned(),
            (6, d) => format!(
                "[{}]",
                (0..self.below(4))
                    .map(|_| self.json(d + 1))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            (_, d) => {
                let entries: Vec<String> = (0..self.below(5))
                    .map(|_| format!("{:?}:{}", self.pick(KEYS), self.json(d + 1)))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
        }
    }
}

fn response(rng: &mut Rng, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let status = *rng.pick(&[200u16, 200, 201, 204, 400, 403, 404, 409, 429, 500, 503]);
    let mut builder = http::Response::builder().status(status);
    if rng.below(2) == 0 {
        let code = *rng.pick(&[
            "ResourceNotFoundException",
            "TooManyRequestsException",
            "InvalidParameterException:x",
            "#",
            ":",
            "",
            "a#b:c",
            "NotAuthorizedException",
        ]);
        builder = builder.header("x-amzn-ErrorType", code);
    }
    if rng.below(3) == 0 {
        builder = builder.header("x-amzn-RequestId", "req");
    }
    builder.body(body).unwrap()
}

/// Feeds one response to every operation's parser; none may panic, and whatever they return
/// must be printable.
fn parse_with_every_operation(response: &http::Response<Vec<u8>>) {
    macro_rules! each {
        ($($op:ident),*) => {
            $( let _ = format!("{:?}", $op::parse_response(response)); )*
            $( if let Err(e) = $op::parse_response(response) { let _ = (e.to_string(), e.code(), e.message(), e.request_id(), e.is_retryable()); } )*
        };
    }
    each!(
        bulk_publish,
        delete_dataset,
        describe_dataset,
        describe_identity_pool_usage,
        describe_identity_usage,
        get_bulk_publish_details,
        get_cognito_events,
        get_identity_pool_configuration,
        list_datasets,
        list_identity_pool_usage,
        list_records,
        register_device,
        set_cognito_events,
        set_identity_pool_configuration,
        subscribe_to_dataset,
        unsubscribe_from_dataset,
        update_records
    );
}

#[test]
fn parsers_never_panic_on_random_bytes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3_000 {
        let body: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        let response = response(&mut rng, body);
        parse_with_every_operation(&response);
    }
}

#[test]
fn parsers_never_panic_on_random_json() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..3_000 {
        let body = rng.json(0).into_bytes();
        let response = response(&mut rng, body);
        parse_with_every_operation(&response);
    }
}

#[test]
fn parsers_never_panic_on_mutated_valid_bodies() {
    let valid = br#"{"Records":[{"Key":"k","Value":"v","SyncCount":3,"LastModifiedDate":1.7E9,"LastModifiedBy":"me","DeviceLastModifiedDate":1700000000}],"NextToken":"t","Count":1,"DatasetSyncCount":3,"MergedDatasetNames":["a"],"DatasetExists":true,"message":"m","__type":"X#Y"}"#;
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    for _ in 0..5_000 {
        let mut body = valid.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(body.len());
            match rng.below(4) {
                0 => body[at] = rng.next() as u8,
                1 => body.truncate(at),
                2 => body.insert(at, *rng.pick(b"{}[]\",:\\0-e.n")),
                _ => {
                    body.remove(at);
                }
            }
            if body.is_empty() {
                break;
            }
        }
        let response = response(&mut rng, body);
        parse_with_every_operation(&response);
    }
}

#[test]
fn serde_round_trips_hold_for_generated_values() {
    let mut rng = Rng(0xE703_7ED1_A0B4_28DB);
    for _ in 0..500 {
        let record = Record::builder()
            .key(rng.string())
            .set_value((rng.below(2) == 0).then(|| rng.string()))
            .sync_count(rng.next() as i64)
            .last_modified_date(DateTime::from_secs_and_nanos(
                (rng.next() % 4_000_000_000) as i64,
                (rng.next() % 1_000_000_000) as u32,
            ))
            .build();
        let output = ListRecordsResponse::builder()
            .records(vec![record.clone(); rng.below(3)])
            .set_next_token((rng.below(2) == 0).then(|| rng.string()))
            .count(rng.next() as i32)
            .merged_dataset_names([rng.string()])
            .build();
        let text = serde_json::to_string(&output).unwrap();
        let back: ListRecordsResponse = serde_json::from_str(&text).unwrap();
        assert_eq!(back, output, "{text}");

        let patch = RecordPatch::builder()
            .op(Operation::from(
                rng.pick(&["replace", "remove", "future-op"]).to_string(),
            ))
            .key(rng.string())
            .sync_count(rng.next() as i64)
            .build()
            .unwrap();
        let text = serde_json::to_string(&patch).unwrap();
        assert_eq!(
            serde_json::from_str::<RecordPatch>(&text).unwrap(),
            patch,
            "{text}"
        );

        let platform = Platform::from(rng.string());
        let text = serde_json::to_string(&platform).unwrap();
        assert_eq!(serde_json::from_str::<Platform>(&text).unwrap(), platform);
    }
}
