//! What both chat modes share: the model on its engine thread, the store, the conversation,
//! and turning a question plus the turns so far into a job for the engine.
use std::sync::Arc;

use super::state::{Turn, TurnState};
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::context::{self, Excerpt, Request};
use crate::error::CliError;
use crate::message::{Message, Role};
use crate::paths::Paths;
use crate::pipeline::choose::{self, Target};
use crate::pipeline::worker::{Built, Job, Reply, Worker, WorkerConfig};
use crate::pipeline::{gather, Budget};
use crate::store::memory::{self, Remembered};
use crate::store::{ConversationSummary, NewMessage, Store};

pub type ReplyFn = Arc<dyn Fn(Reply) + Send + Sync>;

/// How every turn is generated, fixed for the session.
pub struct Settings {
    pub generation: crate::pipeline::Settings,
    pub system: Option<String>,
    pub no_context: bool,
    pub verbose: bool,
    /// Where a remote model's calls are logged.
    pub audit: crate::router::outbound::AuditTo,
    /// `--tier auto`: a local model's turns may be handed to a remote tier.
    pub auto: Option<crate::pipeline::escalate::AutoRoute>,
}

pub struct ChatSession {
    worker: Worker,
    /// Answers leave the machine: excerpts from private sources stay out of the prompt.
    remote: bool,
    pub model: String,
    pub window: u32,
    store: Store,
    pub conversation: Option<i64>,
    settings: Settings,
    config: Config,
    paths: Paths,
    profile: Option<String>,
    /// The moment the chat began: taken once, so that the prompt's start stays the same from
    /// turn to turn and its cache can be kept.
    cell: Option<String>,
    reply: ReplyFn,
    /// The token of the answer being written, which Esc cancels.
    cancel: CancelToken,
}

impl ChatSession {
    pub fn start(
        paths: Paths,
        config: Config,
        target: Target,
        settings: Settings,
        reply: ReplyFn,
    ) -> Result<Self, CliError> {
        let store = Store::open(&paths.database_file())?;
        let (worker, window) = start_worker(&target, &settings, reply.clone())?;
        let (profile, cell) = if settings.no_context {
            (None, None)
        } else {
            let cell = config.context.cell.then(context::cell::describe);
            (context::read_profile(&paths.profile_file()), cell)
        };
        Ok(Self {
            worker,
            remote: matches!(target, Target::Remote { .. }),
            model: target.label(),
            window,
            store,
            conversation: None,
            settings,
            config,
            paths,
            profile,
            cell,
            reply,
            cancel: CancelToken::new(),
        })
    }

    /// Stops the answer being written; what was written stays.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// The token of the answer being written, for a Ctrl-C handler.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// Stores the question and hands it, with the turns before it, to the engine.
    pub fn ask(&mut self, question: &str, earlier: &[Turn]) -> Result<(), CliError> {
        let conversation = match self.conversation {
            Some(id) => id,
            None => {
                let id = self.store.new_conversation(Some(&self.model))?;
                self.conversation = Some(id);
                id
            }
        };
        self.store
            .add_message(conversation, &NewMessage::new(Role::User, question))?;
        let request = Request {
            question: question.to_string(),
            system: self.settings.system.clone(),
            profile: self.profile.clone(),
            cell: self.cell.clone(),
            history: history_of(earlier),
            ..Request::default()
        };
        let retrieve = !self.settings.no_context;
        let remote = self.remote;
        let (paths, config) = (self.paths.clone(), self.config.clone());
        let max_tokens = self.settings.generation.max_tokens;
        // Retrieval and fitting run on the engine thread, with its token counter.
        let build = Box::new(move |count: &dyn crate::engine::TokenCount, window: u32| {
            let mut request = request;
            let mut notes = Vec::new();
            if retrieve {
                let (memories, m) = gather::memories(&paths, &request.question, &config);
                let (excerpts, n) = gather::retrieve(&paths, &request.question, &config);
                request.memories = memories;
                request.excerpts = excerpts;
                notes = m.into_iter().chain(n).collect();
            }
            let before = request.excerpts.len();
            if remote {
                request.excerpts.retain(|e| !e.private);
            }
            if request.excerpts.len() < before {
                notes.push(format!(
                    "{} excerpts from private sources stay on this machine",
                    before - request.excerpts.len()
                ));
            }
            let budget = Budget::new(Some(window), window, max_tokens, true);
            let assembled = crate::pipeline::fit(&request, count, &budget, &config.context)
                .map_err(|e| e.message)?;
            Ok(Built {
                messages: assembled.messages,
                prompt_tokens: assembled.prompt_tokens,
                sources: assembled.sources,
                cuts: assembled.cuts,
                notes,
            })
        });
        // A new token per answer: an Esc pressed before the job starts still counts.
        self.cancel = CancelToken::new();
        let job = Job {
            question: question.to_string(),
            build,
            params: self.settings.generation.params(),
            cancel: self.cancel.clone(),
        };
        self.worker.submit(job).map_err(CliError::internal)
    }

    pub fn save_answer(&self, turn: &Turn) -> Result<(), CliError> {
        let Some(conversation) = self.conversation else {
            return Ok(());
        };
        if turn.answer.is_empty() {
            return Ok(());
        }
        let g = turn.generation.as_ref();
        let sources = sources_json(&turn.sources);
        let message = NewMessage {
            role: Role::Assistant,
            text: &turn.answer,
            model: Some(&self.model),
            prompt_tokens: g.map(|g| g.prompt_tokens as u32),
            generated_tokens: g.map(|g| g.generated_tokens as u32),
            duration_ms: g.map(|g| g.prompt_ms + g.generation_ms),
            sources_json: sources.as_deref(),
        };
        self.store.add_message(conversation, &message).map(|_| ())
    }

    /// Keeps facts as memories from the chat; says what was kept, for the notice line.
    pub fn remember(&self, facts: &[String]) -> Result<String, CliError> {
        let mut ids = Vec::new();
        for fact in facts {
            ids.push(self.store.remember(fact, memory::CHAT)?);
        }
        Ok(match ids.as_slice() {
            [Remembered::New(id)] => format!("remembered as memory {id}"),
            [Remembered::Already(id)] => format!("already remembered, as memory {id}"),
            many => {
                let list: Vec<String> = many.iter().map(|r| r.id().to_string()).collect();
                format!("remembered as memories {}", list.join(", "))
            }
        })
    }

    pub fn new_conversation(&mut self) {
        self.conversation = None;
    }

    pub fn sessions(&self) -> Result<Vec<ConversationSummary>, CliError> {
        self.store.list(50)
    }

    /// The turns of a stored conversation, which later questions continue.
    pub fn open(&mut self, id: i64) -> Result<Vec<Turn>, CliError> {
        if self.store.summary(id)?.is_none() {
            return Err(crate::store::no_such_conversation(id));
        }
        let mut turns: Vec<Turn> = Vec::new();
        for m in self.store.messages(id)? {
            match m.role {
                Role::User => turns.push(Turn::new(m.text)),
                Role::Assistant => {
                    if let Some(t) = turns.last_mut().filter(|t| t.answer.is_empty()) {
                        t.answer = m.text;
                        t.state = TurnState::Done;
                    }
                }
                Role::System => {}
            }
        }
        // A question whose answer never came is shown, but not as still running.
        for t in turns.iter_mut().filter(|t| t.state == TurnState::Waiting) {
            t.state = TurnState::Failed("no answer was stored".into());
        }
        self.conversation = Some(id);
        Ok(turns)
    }

    pub fn switch_model(&mut self, name: &str) -> Result<(), CliError> {
        let chosen = choose::choose_model(Some(name), &self.config, &self.paths.registry_file())?;
        crate::models::registry::check_file(&chosen.path)?;
        let target = Target::Local(chosen);
        let (worker, window) = start_worker(&target, &self.settings, self.reply.clone())?;
        self.worker = worker;
        self.remote = false;
        self.window = window;
        self.model = target.label();
        Ok(())
    }
}

fn start_worker(target: &Target, s: &Settings, reply: ReplyFn) -> Result<(Worker, u32), CliError> {
    if let Target::Local(chosen) = target {
        crate::models::registry::check_file(&chosen.path)?;
    }
    let config = WorkerConfig {
        audit: s.audit.clone(),
        auto: s
            .auto
            .clone()
            .filter(|_| matches!(target, Target::Local(_))),
        target: target.clone(),
        gpu_layers: s.generation.gpu_layers,
        verbose: s.verbose,
        ctx: s.generation.ctx,
        threads: s.generation.threads,
    };
    let (worker, loaded) = Worker::start(config, move |r| reply(r))?;
    Ok((worker, loaded.window))
}

/// The earlier turns as chat messages, for the model to continue from.
pub fn history_of(turns: &[Turn]) -> Vec<Message> {
    let mut messages = Vec::new();
    for t in turns.iter().filter(|t| t.answered()) {
        messages.push(Message::new(Role::User, t.question.clone()));
        messages.push(Message::new(Role::Assistant, t.answer.clone()));
    }
    messages
}

fn sources_json(sources: &[Excerpt]) -> Option<String> {
    if sources.is_empty() {
        return None;
    }
    serde_json::to_string(&context::sources_json(sources)).ok()
}
