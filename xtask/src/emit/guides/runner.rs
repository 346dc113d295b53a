//! `tests/guides/main.rs`: runs every guide's snippets against the API at
//! `TELNYX_BASE_URL` (the Prism mock, under `cargo xtask conformance`) and
//! feeds each webhook handler a signed delivery of every event it matches.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `(guide name, module name)` in guide order.
pub fn emit(guides: &[(String, String)]) -> TokenStream {
    let modules = guides.iter().map(|(_, module)| format_ident!("{}", module));
    let entries = guides.iter().map(|(guide, module)| {
        let module = format_ident!("{}", module);
        quote! { (#guide, &#module::SNIPPETS, &#module::WEBHOOKS), }
    });
    let count = guides.len();
    quote! {
        //! Every snippet of the guides in `guides/`, compiled as they are
        //! shown and run against the API at `TELNYX_BASE_URL`: `cargo xtask
        //! conformance` points it at the Prism mock of the spec, which
        //! validates each request. A snippet that stops compiling names its
        //! guide and section in the comment above it; one that fails at run
        //! time is reported as `guide § section (call chain)`. The first
        //! argument, when given, keeps the labels that contain it.

        #(mod #modules;)*

        use futures_util::future::LocalBoxFuture;
        use std::process::ExitCode;

        /// A snippet that calls the API.
        pub struct Snippet {
            pub section: &'static str,
            /// The operation's call chain; empty for the setup.
            pub call: &'static str,
            /// Why it fails against the mock today (`known_failures` in
            /// `spec/guides.yml`), or empty.
            pub known_failure: &'static str,
            /// The spec's own examples of its response break its schema
            /// (`conformance.generated_responses` in `spec/sdk.yml`): the
            /// mock at `CONFORMANCE_GENERATING_BASE_URL` answers it.
            pub generated_response: bool,
            pub run: for<'a> fn(&'a telnyx_api::Client) -> LocalBoxFuture<'a, Result<(), telnyx_api::Error>>,
        }

        /// A sample delivery of one event to a guide's webhook handler.
        pub struct WebhookCase {
            pub event: &'static str,
            pub body: &'static str,
            pub handle: fn(&telnyx_api::Client, &[u8], &[(&str, &str)]) -> Result<(), Box<dyn std::error::Error>>,
        }

        type Guide = (&'static str, &'static [Snippet], &'static [WebhookCase]);

        const GUIDES: [Guide; #count] = [#(#entries)*];

        /// The Ed25519 seed the sample deliveries are signed with; the
        /// receiving client trusts its public key.
        const SIGNING_SEED: [u8; 32] = [7; 32];

        fn describe(error: &telnyx_api::Error) -> String {
            match error.api_error() {
                Some(api) => format!("{} from the API: {}", api.status, api.body),
                None => error.to_string(),
            }
        }

        /// Signs the body as Telnyx does, checks that it decodes as the event
        /// it samples, then hands it to the guide's handler.
        fn deliver(
            receiver: &telnyx_api::Client,
            key: &ed25519_dalek::SigningKey,
            case: &WebhookCase,
        ) -> Result<(), String> {
            use base64::Engine as _;
            use ed25519_dalek::Signer as _;
            let timestamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| format!("the clock is before 1970: {e}"))?
                .as_secs()
                .to_string();
            let signed = format!("{timestamp}|{}", case.body);
            let signature = base64::engine::general_purpose::STANDARD
                .encode(key.sign(signed.as_bytes()).to_bytes());
            let headers = [
                ("telnyx-signature-ed25519", signature.as_str()),
                ("telnyx-timestamp", timestamp.as_str()),
            ];
            let event = receiver
                .webhooks()
                .unwrap(case.body.as_bytes(), &headers)
                .map_err(|e| e.to_string())?;
            if event.event_type() != case.event {
                return Err(format!("the sample decoded as `{}`", event.event_type()));
            }
            (case.handle)(receiver, case.body.as_bytes(), &headers).map_err(|e| e.to_string())
        }

        /// Outcomes so far; a known failure that passes counts against the
        /// run, so the list in `spec/guides.yml` shrinks as fixes land.
        #[derive(Default)]
        struct Tally {
            passed: usize,
            known: usize,
            failed: usize,
            stale: usize,
        }

        impl Tally {
            fn record(&mut self, label: &str, known_failure: &str, outcome: Result<(), String>) {
                match (outcome, known_failure.is_empty()) {
                    (Ok(()), true) => self.passed += 1,
                    (Ok(()), false) => {
                        self.stale += 1;
                        eprintln!("PASSED {label}, listed in known_failures of spec/guides.yml: remove it");
                    }
                    (Err(reason), true) => {
                        self.failed += 1;
                        eprintln!("FAILED {label}: {reason}");
                    }
                    (Err(_), false) => {
                        self.known += 1;
                        eprintln!("failed as known {label}: {known_failure}");
                    }
                }
            }
        }

        /// The client for snippets whose responses the mock must make up
        /// from the schema: the one of `CONFORMANCE_GENERATING_BASE_URL`
        /// when `cargo xtask conformance` sets it, else `client` itself.
        fn generating_client(client: &telnyx_api::Client) -> Result<telnyx_api::Client, telnyx_api::Error> {
            match std::env::var("CONFORMANCE_GENERATING_BASE_URL") {
                Ok(base_url) => telnyx_api::Client::builder()
                    .api_key(std::env::var("TELNYX_API_KEY").unwrap_or_default())
                    .base_url(base_url)
                    .build(),
                Err(_) => Ok(client.clone()),
            }
        }

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> ExitCode {
            use base64::Engine as _;
            let client = match telnyx_api::Client::from_env() {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("guides: {error} (run it through `cargo xtask conformance`)");
                    return ExitCode::from(2);
                }
            };
            let generating = match generating_client(&client) {
                Ok(generating) => generating,
                Err(error) => {
                    eprintln!("guides: the client of CONFORMANCE_GENERATING_BASE_URL: {error}");
                    return ExitCode::from(2);
                }
            };
            let key = ed25519_dalek::SigningKey::from_bytes(&SIGNING_SEED);
            let public_key = base64::engine::general_purpose::STANDARD.encode(key.verifying_key().as_bytes());
            let receiver = match telnyx_api::Client::builder().api_key("guides").public_key(public_key).build() {
                Ok(receiver) => receiver,
                Err(error) => {
                    eprintln!("guides: the webhook receiver cannot be built: {error}");
                    return ExitCode::from(2);
                }
            };
            let filter = std::env::args().nth(1).unwrap_or_default();
            let mut tally = Tally::default();
            for (guide, snippets, webhooks) in GUIDES {
                for snippet in snippets {
                    let label = format!("{guide} § {} ({})", snippet.section, snippet.call);
                    if label.contains(filter.as_str()) {
                        let mock = if snippet.generated_response { &generating } else { &client };
                        let outcome = (snippet.run)(mock).await.map_err(|e| describe(&e));
                        tally.record(&label, snippet.known_failure, outcome);
                    }
                }
                for case in webhooks {
                    let label = format!("{guide} § Webhooks ({})", case.event);
                    if label.contains(filter.as_str()) {
                        tally.record(&label, "", deliver(&receiver, &key, case));
                    }
                }
            }
            eprintln!(
                "guides: {} passed, {} failed as known, {} failed, {} known failures passed",
                tally.passed, tally.known, tally.failed, tally.stale
            );
            if tally.failed == 0 && tally.stale == 0 && tally.passed + tally.known > 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
