//! What both chat modes share: the model on its engine thread, the store, the conversation,
//! and turning a question plus the turns so far into a job for the engine.
use std::sync::Arc;

use super::state::{Turn, TurnState};
use crate::cli::prompt;
use crate::cli::runtime::{self, ChosenModel};
use crate::config::Config;
use crate::context::{self, Excerpt, Request};
use crate::engine::local::LoadOptions;
use crate::engine::worker::{Job, Reply, Worker, WorkerConfig};
use crate::engine::{GenerateParams, Message, Role, Sampling};
use crate::error::CliError;
use crate::paths::Paths;
use crate::store::{ConversationSummary, NewMessage, Store};

pub type ReplyFn = Arc<dyn Fn(Reply) + Send + Sync>;

/// How every turn is generated, fixed for the session.
pub struct Settings {
    pub sampling: Sampling,
    pub max_tokens: u32,
    pub stop: Vec<String>,
    pub system: Option<String>,
    pub no_context: bool,
    pub ctx: Option<u32>,
    pub threads: u32,
    pub gpu_layers: Option<u32>,
    pub verbose: bool,
}

pub struct ChatSession {
    worker: Worker,
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
}

/// Chat contexts default to this many tokens: enough for a long conversation, and memory
/// that a small machine can spare. `--ctx` or `ctx` in config.toml changes it.
const DEFAULT_WINDOW: u32 = 4096;

impl ChatSession {
    pub fn start(
        paths: Paths,
        config: Config,
        chosen: ChosenModel,
        settings: Settings,
        reply: ReplyFn,
    ) -> Result<Self, CliError> {
        let store = Store::open(&paths.database_file())?;
        let (worker, window) = start_worker(&chosen, &settings, reply.clone())?;
        let (profile, cell) = if settings.no_context {
            (None, None)
        } else {
            let cell = config.context.cell.then(context::cell::describe);
            (context::read_profile(&paths.profile_file()), cell)
        };
        Ok(Self {
            worker,
            model: chosen.name,
            window,
            store,
            conversation: None,
            settings,
            config,
            paths,
            profile,
            cell,
            reply,
        })
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
        let excerpts = if self.settings.no_context {
            Vec::new()
        } else {
            prompt::retrieve(&self.paths, question, &self.config)
        };
        let request = Request {
            question: question.to_string(),
            system: self.settings.system.clone(),
            profile: self.profile.clone(),
            excerpts,
            cell: self.cell.clone(),
            history: history_of(earlier),
            ..Request::default()
        };
        let job = Job {
            request,
            reserve: self.settings.max_tokens,
            retrieval_tokens: self.config.context.retrieval_tokens,
            params: GenerateParams {
                sampling: self.settings.sampling.clone(),
                max_tokens: self.settings.max_tokens,
                stop: self.settings.stop.clone(),
                stop_at_end_of_text: true,
            },
        };
        // Reset here, not on the engine thread: an Esc pressed before the job starts still counts.
        crate::engine::CANCEL.store(false, std::sync::atomic::Ordering::Relaxed);
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
        let chosen = runtime::choose_model(Some(name), &self.config, &self.paths.registry_file())?;
        crate::models::registry::check_file(&chosen.path)?;
        let (worker, window) = start_worker(&chosen, &self.settings, self.reply.clone())?;
        self.worker = worker;
        self.window = window;
        self.model = chosen.name;
        Ok(())
    }
}

fn start_worker(
    chosen: &ChosenModel,
    s: &Settings,
    reply: ReplyFn,
) -> Result<(Worker, u32), CliError> {
    crate::models::registry::check_file(&chosen.path)?;
    let config = WorkerConfig {
        path: chosen.path.clone(),
        options: LoadOptions {
            gpu_layers: s.gpu_layers,
            vocab_only: false,
            verbose: s.verbose,
        },
        window: Some(s.ctx.unwrap_or(DEFAULT_WINDOW)),
        threads: s.threads,
    };
    let (worker, loaded) = Worker::start(config, move |r| reply(r))
        .map_err(|e| CliError::user(e).hint("run `pai doctor` to check the model files"))?;
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
    let list: Vec<serde_json::Value> = sources
        .iter()
        .map(|s| {
            serde_json::json!({
                "path": s.path,
                "lines": format!("{}-{}", s.start_line, s.end_line),
                "title": s.title,
            })
        })
        .collect();
    serde_json::to_string(&list).ok()
}
