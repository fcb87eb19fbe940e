//! A Cognito Sync session: list the identity's datasets, read a dataset's records page by
//! page, write changes with the session token, resolve a conflict by reading again, and
//! (optionally) delete the dataset.
//!
//! These files are hand-written: `cargo xtask codegen` leaves `examples/` alone.
//!
//! Against AWS (credentials and region from the environment, as the AWS CLI reads them:
//! `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` or `~/.aws`, and
//! `AWS_REGION`); Cognito Sync expects the temporary credentials of a Cognito identity:
//!
//! ```text
//! cargo run --example sync_session -- us-east-1:POOL-ID us-east-1:IDENTITY-ID my-dataset
//! ```
//!
//! Against a local server (such as the emulator the end-to-end tests start), with an
//! endpoint override:
//!
//! ```text
//! COGNITO_SYNC_ENDPOINT=http://127.0.0.1:8080 cargo run --example sync_session -- POOL ID my-dataset --delete
//! ```

#[cfg(feature = "reqwest")]
mod session;

#[cfg(feature = "reqwest")]
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let delete = args.iter().any(|a| a == "--delete");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [pool, identity, dataset] = positional.as_slice() else {
        return Err("usage: sync_session IDENTITY_POOL_ID IDENTITY_ID DATASET [--delete]".into());
    };
    let mut config = botogen_cognito_sync::Config::builder();
    if let Ok(url) = std::env::var("COGNITO_SYNC_ENDPOINT") {
        config = config.endpoint_url(url);
    }
    let client = botogen_cognito_sync::Client::new(config.build()?);
    let summary = session::run_session(&client, pool, identity, dataset, delete).await?;
    println!("{summary:#?}");
    Ok(())
}

#[cfg(not(feature = "reqwest"))]
fn main() {
    eprintln!("this example needs the `reqwest` feature (on by default) for its HTTP client");
}
