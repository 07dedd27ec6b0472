//! The router's remote tiers as model names: a client that asks for `pai-medium` or
//! `pai-large` is answered by that tier's endpoint, through the same outbound guard as every
//! other front end (secrets out and back in, private excerpts left out, an audit row). The
//! local engine thread is not involved: the call runs on a thread of its own.
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::error::ApiError;
use super::job::{Event, EventSink, Gathered};
use super::prompt::add_context;
use super::state::ContextSource;
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::context::Request;
use crate::engine::{Engine, GenerateParams, TokenCount};
use crate::message::{Message, Role};
use crate::pipeline::tiers::spent_from;
use crate::router::outbound::{AuditTo, CallLabel, Outbound};
use crate::router::policy::{self, Facts};
use crate::router::privacy::{self, Privacy};
use crate::router::{Tier, TierChoice};

const ALIASES: [(&str, Tier); 2] = [("pai-medium", Tier::Medium), ("pai-large", Tier::Large)];

/// The tier a model name stands for, when that tier is configured.
pub fn tier_of(id: &str, config: &Config) -> Option<Tier> {
    ALIASES
        .iter()
        .find(|(alias, tier)| *alias == id && policy::endpoint_of(*tier, config).is_some())
        .map(|(_, tier)| *tier)
}

/// The aliases of the configured tiers, for `/v1/models`.
pub fn model_ids(config: &Config) -> Vec<String> {
    ALIASES
        .iter()
        .filter(|(_, tier)| policy::endpoint_of(*tier, config).is_some())
        .map(|(alias, _)| alias.to_string())
        .collect()
}

/// Starts the call on its own thread; its events arrive as a local job's do.
pub fn submit(
    source: &ContextSource,
    tier: Tier,
    messages: Vec<Message>,
    context: Option<Gathered>,
    params: GenerateParams,
) -> (UnboundedReceiver<Event>, CancelToken) {
    let (events, rx) = unbounded_channel();
    let cancel = CancelToken::new();
    let (source, token) = (source.clone(), cancel.clone());
    std::thread::spawn(move || {
        let sink = EventSink {
            events: events.clone(),
            cancel: token.clone(),
            logprobs: None,
        };
        let event = match call(&source, tier, messages, context, &params, sink) {
            Ok(g) => Event::Finished(g),
            Err(e) => Event::Failed(e),
        };
        let _ = events.send(event);
    });
    (rx, cancel)
}

fn call(
    source: &ContextSource,
    tier: Tier,
    messages: Vec<Message>,
    context: Option<Gathered>,
    params: &GenerateParams,
    mut sink: EventSink,
) -> Result<crate::engine::Generation, ApiError> {
    // The client's messages and pai's context as one request, read once by the privacy rule.
    let request = request_of(&messages, context.as_ref());
    allowed(source, tier, &request)?;
    let config = &source.config;
    let unavailable = ApiError::bad_gateway;
    let name = policy::endpoint_of(tier, config)
        .ok_or_else(|| unavailable(format!("the {tier} tier is not configured")))?;
    let endpoint = config
        .endpoints
        .get(name)
        .ok_or_else(|| unavailable(format!("there is no endpoint named '{name}'")))?;
    let remote = crate::engine::remote::RemoteEngine::new(name, endpoint)
        .map_err(|e| unavailable(e.to_string()))?;
    let audit = AuditTo::new(source.paths.database_file(), config, "serve");
    let label = CallLabel::new("serve", tier, &format!("the client asked for pai-{tier}"));
    let mut engine = Outbound::new(remote, endpoint, &audit, label);
    let (messages, sources) = match context {
        Some(mut gathered) => {
            // Private excerpts stay home, as the router's privacy rule says for every front end.
            gathered.excerpts = privacy::shareable(&request).0.excerpts;
            let with = add_context(&messages, &gathered);
            (with, gathered.excerpts)
        }
        None => (messages, Vec::new()),
    };
    let _ = sink.events.send(Event::Started {
        prompt_tokens: engine.prompt_tokens_with(&messages, &params.tools),
        sources,
    });
    let cancel = sink.cancel.clone();
    engine
        .generate(&messages, params, &cancel, &mut sink)
        .map_err(|e| unavailable(e.to_string()))
}

/// The router's word on a client naming a tier, as on `--tier`: a tier that has spent its
/// monthly budget, or a request holding a secret redaction cannot take out, is refused (a 400
/// that says so) before anything is sent. What leaves with the request is decided in [`call`].
fn allowed(source: &ContextSource, tier: Tier, request: &Request) -> Result<(), ApiError> {
    let question = request
        .history
        .iter()
        .rev()
        .find(|m| m.role == Role::User)
        .map_or("", |m| m.content.as_str());
    let facts = Facts {
        front: "serve",
        question,
        flag: Some(TierChoice::of(tier)),
        privacy: Privacy::of(request, true),
        ..Facts::default()
    };
    let spent = spent_from(source.paths.database_file());
    policy::plan(&facts, &source.config, &spent)?;
    Ok(())
}

/// The client's messages and pai's context as one request, for the privacy rule.
fn request_of(messages: &[Message], context: Option<&Gathered>) -> Request {
    let context = context.cloned().unwrap_or_default();
    Request {
        history: messages.to_vec(),
        profile: context.profile,
        memories: context.memories,
        excerpts: context.excerpts,
        ..Request::default()
    }
}
