//! One guide: its Markdown and the test module holding its snippets.

use super::markdown::{self, Dependencies};
use super::outline::{dotted, Entry, GuideOutline};
use super::snippet::{format_item, Call, Snippet, SnippetWriter};
use super::webhooks;
use crate::emit::conformance::names_input;
use crate::emit::operations::CallPlan;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Functions every guide module has, so no section may take their names.
const SETUP: &str = "connect";
const ERRORS: &str = "handle_errors";

pub struct GuideFiles {
    pub markdown: String,
    /// `tests/guides/<module>.rs`.
    pub module: String,
}

/// The test module's name for a guide: `telnyx-voice` → `telnyx_voice`.
pub fn module_name(guide: &str) -> String {
    let name: String = guide
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        format!("guide_{name}")
    } else {
        name
    }
}

/// One runnable entry of a guide module: its section title, its call
/// chain (empty for setup), why it is known to fail (empty when it is
/// not) and its function.
struct Runnable {
    section: String,
    call: String,
    known_failure: String,
    /// Answered by the mock that makes responses from the schema.
    generated_response: bool,
    snippet: Snippet,
}

/// What every guide is rendered with.
pub struct Context<'a> {
    pub writer: SnippetWriter<'a>,
    pub plans: &'a BTreeMap<usize, CallPlan<'a>>,
    /// Operation → the guide that has its section.
    pub homes: BTreeMap<usize, String>,
    /// `conformance.also_required` of `spec/sdk.yml`.
    pub also_required: &'a BTreeMap<String, Vec<String>>,
    /// `conformance.generated_responses` of `spec/sdk.yml`: operations whose
    /// spec examples break their own schema, so the mock that validates
    /// responses cannot answer them.
    pub generated_responses: &'a BTreeMap<String, String>,
    /// Operation → why its snippet fails against the mock today.
    pub known_failures: &'a BTreeMap<usize, String>,
}

/// The sections of one guide, as they are rendered.
#[derive(Default)]
struct Sections {
    markdown: String,
    runnables: Vec<Runnable>,
    /// Function names in use in the guide's module.
    taken: BTreeSet<String>,
    /// The call of the first section that works against the mock, with
    /// its chain, for the errors snippet.
    first_call: Option<(Call, String)>,
}

pub fn render(
    context: &Context<'_>,
    guide: &GuideOutline,
    opening: &[String],
    features: Vec<String>,
) -> GuideFiles {
    let (api, names) = (context.writer.api, context.writer.names);
    let mut sections = Sections {
        taken: [SETUP, ERRORS, webhooks::HANDLER].map(String::from).into(),
        ..Sections::default()
    };
    let mut current_resource: Option<&str> = None;
    for entry in &guide.entries {
        // A group's guide is long: its sections sit under their resource.
        if guide.group.is_some() {
            let resource = names.operations[entry.op()].resource[0].as_str();
            if current_resource != Some(resource) {
                let _ = write!(sections.markdown, "## `client.{resource}()`\n\n");
                current_resource = Some(resource);
            }
        }
        let heading = if guide.group.is_some() { "###" } else { "##" };
        context.section(entry, heading, &mut sections);
    }
    let connect = setup_snippet();
    let handle_errors = sections
        .first_call
        .take()
        .and_then(|(call, chain)| Some((errors_snippet(call).ok()?, chain)));
    let webhook_section = webhooks::section(api, names, &guide.webhooks);
    let runnables = &sections.runnables;
    let dependencies = Dependencies {
        features: features
            .into_iter()
            .filter(|f| !names.features.is_default(f))
            .collect(),
        futures_util: runnables.iter().any(|r| r.snippet.needs_futures_util),
        serde_json: runnables.iter().any(|r| r.snippet.needs_serde_json),
    };
    let mut markdown = markdown::head(&guide.title, opening);
    markdown.push_str(&markdown::setup(&dependencies, &connect.code));
    markdown.push_str(&markdown::errors(
        handle_errors.as_ref().map(|(s, _)| s.code.as_str()),
    ));
    markdown.push_str(&sections.markdown);
    match &webhook_section {
        Ok(Some(section)) => markdown.push_str(&section.markdown),
        Ok(None) => {}
        Err(reason) => {
            let _ = write!(markdown, "## Webhooks\n\nNo snippet: {reason}.\n");
        }
    }
    let markdown = format!("{}\n", markdown.trim_end());

    let mut all = vec![Runnable {
        section: "Setup".into(),
        call: String::new(),
        known_failure: String::new(),
        generated_response: false,
        snippet: connect,
    }];
    if let Some((snippet, call)) = handle_errors {
        all.push(Runnable {
            section: "Errors".into(),
            call,
            known_failure: String::new(),
            generated_response: false,
            snippet,
        });
    }
    all.extend(sections.runnables);
    let handler = webhook_section.ok().flatten();
    GuideFiles {
        markdown,
        module: module_file(&guide.name, &all, handler.as_ref()),
    }
}

impl Context<'_> {
    fn known_failure(&self, op: usize) -> String {
        self.known_failures.get(&op).cloned().unwrap_or_default()
    }

    /// One operation's section: title, description, endpoint, inputs and
    /// snippet; or, for an operation another guide has, a pointer there.
    fn section(&self, entry: &Entry, heading: &str, out: &mut Sections) {
        let (api, names) = (self.writer.api, self.writer.names);
        let op_index = entry.op();
        let op = &api.operations[op_index];
        let name = &names.operations[op_index];
        let chain = dotted(names, op_index);
        let title = markdown::title(&op.docs).unwrap_or_else(|| format!("`{chain}`"));
        let text = &mut out.markdown;
        let _ = write!(text, "{heading} {title}\n\n");
        let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
        let Entry::Section { optional, .. } = entry else {
            let home = self
                .homes
                .get(&op_index)
                .map(String::as_str)
                .unwrap_or_default();
            let _ = write!(
                text,
                "{endpoint}: this operation's section is in the guide \
                 [{home}]({home}.md), as `client.{}(…)`.\n\n",
                name.chain()
            );
            return;
        };
        if let Some(description) = markdown::description(&op.docs) {
            let _ = write!(text, "{description}\n\n");
        }
        let _ = write!(text, "{endpoint}\n\n");
        if op.deprecated {
            text.push_str("**Deprecated** by the API.\n\n");
        }
        let Some(plan) = self.plans.get(&op_index) else {
            text.push_str("No snippet: the operation has no call plan.\n\n");
            return;
        };
        let key = format!("{} {}", op.method.as_str().to_lowercase(), op.path);
        let needed = self
            .also_required
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let optional = optional.as_deref();
        let _ = write!(text, "{}\n\n", inputs_line(plan, needed, optional));
        let function = function_name(&title, &chain, &mut out.taken);
        let made = self
            .writer
            .call(name, plan, optional, needed)
            .and_then(|call| self.writer.section(&function, op_index, plan, call));
        let snippet = match made {
            Ok(snippet) => snippet,
            Err(reason) => {
                let _ = write!(text, "No snippet: {reason}.\n\n");
                return;
            }
        };
        let _ = write!(text, "```rust,ignore\n{}```\n\n", snippet.code);
        let known_failure = self.known_failure(op_index);
        if !known_failure.is_empty() {
            let _ = write!(
                text,
                "Known to fail against the mock server today: {known_failure}.\n\n"
            );
        }
        // The errors snippet treats an error answer as handled, so it takes
        // a call that works against the validating mock: one not known to
        // fail, whose spec examples fit its schema.
        let generated_response = self.generated_responses.contains_key(&key);
        if out.first_call.is_none() && known_failure.is_empty() && !generated_response {
            out.first_call = self
                .writer
                .call(name, plan, None, needed)
                .ok()
                .map(|call| (call, chain.clone()));
        }
        out.runnables.push(Runnable {
            section: title,
            call: chain,
            known_failure,
            generated_response,
            snippet,
        });
    }
}

/// "Required: `to`, `from`." and the optional input the snippet shows.
fn inputs_line(plan: &CallPlan<'_>, also_required: &[String], optional: Option<&str>) -> String {
    let needed = plan
        .setters
        .iter()
        .filter(|s| names_input(s, also_required));
    let required: Vec<String> = plan
        .positional
        .iter()
        .chain(&plan.required_setters)
        .chain(needed)
        .map(|input| {
            let rust = input.ident.to_string();
            let spec = input.target.spec_name();
            if rust.trim_start_matches("r#") == spec {
                format!("`{spec}`")
            } else {
                format!("`{rust}` (`{spec}` in the spec)")
            }
        })
        .collect();
    let mut line = if required.is_empty() {
        "Required: nothing.".to_string()
    } else {
        format!("Required: {}.", required.join(", "))
    };
    if let Some(optional) = optional {
        let _ = write!(line, " The snippet also sets the optional `{optional}`.");
    }
    line
}

/// The section's function: its title in snake case, else its call chain.
fn function_name(title: &str, chain: &str, taken: &mut BTreeSet<String>) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    let from_title = words.join("_");
    let usable = !from_title.is_empty()
        && !from_title.starts_with(|c: char| c.is_ascii_digit())
        && syn::parse_str::<syn::Ident>(&from_title).is_ok();
    let mut name = if usable && !taken.contains(&from_title) {
        from_title
    } else {
        chain.replace('.', "_")
    };
    while taken.contains(&name) {
        name.push_str("_again");
    }
    taken.insert(name.clone());
    name
}

fn setup_snippet() -> Snippet {
    let code = format_item(quote::quote! {
        fn connect() -> Result<telnyx_api::Client, telnyx_api::Error> {
            telnyx_api::Client::from_env()
        }
    })
    .unwrap_or_default();
    Snippet {
        function: SETUP.to_string(),
        code,
        needs_futures_util: false,
        needs_serde_json: false,
    }
}

/// The guide's first call, with each kind of error told apart.
fn errors_snippet(call: Call) -> Result<Snippet, String> {
    let builder = call.builder;
    let type_uses = super::snippet::type_uses(&call.uses);
    let code = format_item(quote::quote! {
        async fn handle_errors(client: &telnyx_api::Client) -> Result<(), telnyx_api::Error> {
            use telnyx_api::Error;
            #type_uses
            match #builder.send_with_response().await {
                Ok(response) => println!("{} (request id {:?})", response.status(), response.request_id()),
                Err(error) if error.is_not_found() => println!("not found; check the id"),
                Err(Error::Api(api)) if api.status.as_u16() == 422 => {
                    for problem in &api.errors {
                        println!("invalid input {:?}: {:?}", problem.source, problem.detail);
                    }
                }
                Err(error) if error.is_rate_limited() => println!("still rate limited after the retries"),
                Err(Error::Timeout | Error::Connection(_)) => println!("no answer; try again later"),
                Err(error) => return Err(error),
            }
            Ok(())
        }
    })?;
    Ok(Snippet {
        function: ERRORS.to_string(),
        code,
        needs_futures_util: false,
        needs_serde_json: call.uses.serde_json,
    })
}

/// `tests/guides/<module>.rs`: the snippets verbatim, each under a comment
/// naming its guide and section (a compile error points there), then the
/// tables the runner reads.
fn module_file(
    guide: &str,
    runnables: &[Runnable],
    webhooks: Option<&webhooks::WebhookSection>,
) -> String {
    let mut out = format!(
        "// @generated by `cargo xtask regen` from the Telnyx OpenAPI spec. Do not edit.\n\n\
         //! The snippets of `guides/{guide}.md`, verbatim and in its order.\n"
    );
    for runnable in runnables {
        let _ = write!(
            out,
            "\n// guides/{guide}.md § {}\n{}",
            runnable.section, runnable.snippet.code
        );
    }
    if let Some(section) = webhooks {
        let _ = write!(
            out,
            "\n// guides/{guide}.md § Webhooks\n{}",
            section.handler.code
        );
    }
    let entries = runnables.iter().map(|r| {
        let (section, call, known_failure) = (&r.section, &r.call, &r.known_failure);
        let generated_response = r.generated_response;
        let function = quote::format_ident!("{}", r.snippet.function);
        let run = if r.snippet.function == SETUP {
            quote::quote!(|_| Box::pin(async { #function().map(drop) }))
        } else {
            quote::quote!(|client| Box::pin(#function(client)))
        };
        quote::quote! {
            super::Snippet {
                section: #section,
                call: #call,
                known_failure: #known_failure,
                generated_response: #generated_response,
                run: #run,
            },
        }
    });
    let count = runnables.len();
    let deliveries = webhooks
        .map(|s| s.deliveries.as_slice())
        .unwrap_or_default();
    let webhook_count = deliveries.len();
    let handler = quote::format_ident!("{}", webhooks::HANDLER);
    let cases = deliveries.iter().map(|(event, body)| {
        quote::quote! { super::WebhookCase { event: #event, body: #body, handle: #handler }, }
    });
    let tables = quote::quote! {
        pub const SNIPPETS: [super::Snippet; #count] = [#(#entries)*];
        pub const WEBHOOKS: [super::WebhookCase; #webhook_count] = [#(#cases)*];
    };
    let _ = write!(
        out,
        "\n{}",
        format_item(tables).unwrap_or_else(|reason| format!("compile_error!({reason:?});\n"))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_function_is_named_after_its_title_else_its_call_chain() {
        let mut taken = BTreeSet::from([SETUP.to_string()]);
        assert_eq!(
            function_name("Answer call", "calls.actions.answer", &mut taken),
            "answer_call"
        );
        // Taken already: the call chain, which is unique.
        assert_eq!(
            function_name("Answer call", "calls.actions.answer_again", &mut taken),
            "calls_actions_answer_again"
        );
        // No identifier in the title: a keyword, a leading digit, nothing.
        assert_eq!(function_name("Match", "a.b", &mut taken), "a_b");
        assert_eq!(function_name("10DLC brands", "c.d", &mut taken), "c_d");
        assert_eq!(function_name("—", "e.f", &mut taken), "e_f");
        assert_eq!(
            function_name(
                "List all active calls for given connection",
                "g.h",
                &mut taken
            ),
            "list_all_active_calls_for_given_connection"
        );
    }

    #[test]
    fn module_names_are_identifiers() {
        assert_eq!(module_name("telnyx-voice-more"), "telnyx_voice_more");
        assert_eq!(module_name("2fa"), "guide_2fa");
    }
}
