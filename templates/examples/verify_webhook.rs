//! Verifies one Telnyx webhook delivery from the command line and names the
//! event it carries, for checking a captured request or a public key by hand.
//!
//! ```sh
//! cargo run --example verify_webhook -- --public-key B64 --timestamp TS \
//!     --signature SIG --body-file PATH [--now UNIX]
//! ```
//!
//! Prints `<event_type> <Rust variant>` (such as `call.hangup CallHangup`)
//! and exits 0, or prints why the delivery was refused and exits 1. `--now`
//! checks the timestamp against that Unix time instead of the clock, so an
//! old capture can still be verified.

use std::process::ExitCode;

use telnyx_api::webhooks::{FixedClock, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use telnyx_api::{WebhookEvent, Webhooks};

/// Printed with exit code 2 when the arguments do not parse.
pub const USAGE: &str = "usage: verify_webhook --public-key B64 --timestamp TS \
--signature SIG --body-file PATH [--now UNIX]";

/// Why [`run`] produced no event.
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong; the message says how.
    Usage(String),
    /// The delivery, its key or its file was refused.
    Refused(String),
}

/// The options, each still as given.
#[derive(Default)]
struct Options {
    public_key: Option<String>,
    timestamp: Option<String>,
    signature: Option<String>,
    body_file: Option<String>,
    now: Option<String>,
}

/// Verifies the delivery the arguments (without the program name) describe,
/// returning the line to print.
pub fn run(args: impl IntoIterator<Item = String>) -> Result<String, Failure> {
    let options = parse(args).map_err(Failure::Usage)?;
    let required = |value: Option<String>, flag: &str| {
        value.ok_or_else(|| Failure::Usage(format!("{flag} is required")))
    };
    let public_key = required(options.public_key, "--public-key")?;
    let timestamp = required(options.timestamp, "--timestamp")?;
    let signature = required(options.signature, "--signature")?;
    let body_file = required(options.body_file, "--body-file")?;

    let refused = |error: &dyn std::fmt::Display| Failure::Refused(error.to_string());
    let mut webhooks = Webhooks::from_base64_key(&public_key).map_err(|e| refused(&e))?;
    if let Some(now) = options.now {
        let now = now
            .parse::<i64>()
            .map_err(|_| Failure::Usage(format!("--now must be Unix seconds, not {now:?}")))?;
        webhooks = webhooks.with_clock(FixedClock(now));
    }
    let body = std::fs::read(&body_file)
        .map_err(|e| Failure::Refused(format!("cannot read {body_file}: {e}")))?;
    let headers = [(TIMESTAMP_HEADER, timestamp), (SIGNATURE_HEADER, signature)];
    let event: WebhookEvent = webhooks.unwrap(&body, &headers).map_err(|e| refused(&e))?;
    Ok(format!("{} {}", event.event_type(), event.variant_name()))
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--public-key" => &mut options.public_key,
            "--timestamp" => &mut options.timestamp,
            "--signature" => &mut options.signature,
            "--body-file" => &mut options.body_file,
            "--now" => &mut options.now,
            _ => return Err(format!("unexpected argument {flag:?}")),
        };
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        *slot = Some(value);
    }
    Ok(options)
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("{message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Refused(message)) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
