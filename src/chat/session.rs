//! What both chat modes share: the model on its engine thread, the store, the conversation,
//! and turning a question plus the turns so far into a job for the engine.
use std::sync::Arc;

use super::state::{Turn, TurnState};
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::context::{self, Excerpt, Request};
use crate::error::Error;
use crate::message::{Message, Role as Speaker};
use crate::paths::Paths;
use crate::pipeline::choose::{self, Target};
use crate::pipeline::prompt::{self, Destination};
use crate::pipeline::reply::Reply;
use crate::pipeline::worker::{Job, Worker, WorkerConfig};
use crate::pipeline::{gather, Budget};
use crate::roles::Role;
use crate::store::memory::{self, Remembered};
use crate::store::{ConversationSummary, NewMessage, Store};

pub type ReplyFn = Arc<dyn Fn(Reply) + Send + Sync>;

/// How every turn is generated; only `/role` changes it during a session.
pub struct Settings {
    pub generation: crate::pipeline::Settings,
    /// What the command line said, for resolving the settings again under another role.
    pub flags: crate::pipeline::Overrides,
    /// `--system`, which wins over a role's prompt.
    pub system: Option<String>,
    pub no_context: bool,
    /// The role the turns are answered as.
    pub role: Option<Role>,
    pub verbose: bool,
    /// Where a remote model's calls are logged.
    pub audit: crate::router::outbound::AuditTo,
    /// `--tier auto`: a local model's turns may be handed to a remote tier.
    pub auto: Option<crate::pipeline::escalate::AutoRoute>,
    /// The command line named what answers (`--model`, `--endpoint` or `--tier`): a role
    /// switched to with `/role` then keeps it.
    pub answerer_named: bool,
}

pub struct ChatSession {
    worker: Worker,
    /// What answered when the chat began: where a role without a model or endpoint of its
    /// own returns to.
    home: Target,
    /// The local model (its file, against which adapters are checked, and its own adapters);
    /// None for an endpoint.
    local: Option<choose::ChosenModel>,
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
    /// The sentence encoder of semantic sources, loaded by the first turn that needs it.
    encoder: crate::index::Encoder,
}

impl ChatSession {
    pub fn start(
        paths: Paths,
        config: Config,
        target: Target,
        settings: Settings,
        reply: ReplyFn,
    ) -> Result<Self, Error> {
        let store = Store::open(&paths.database_file())?;
        let (worker, window) = start_worker(&target, &settings, &config, reply.clone())?;
        let (profile, cell) = if settings.no_context {
            (None, None)
        } else {
            let cell = config.context.cell.then(context::cell::describe);
            (context::read_profile(&paths.profile_file()), cell)
        };
        Ok(Self {
            worker,
            home: target.clone(),
            local: local_model(&target),
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
            encoder: crate::index::Encoder::default(),
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
    pub fn ask(&mut self, question: &str, earlier: &[Turn]) -> Result<(), Error> {
        let conversation = match self.conversation {
            Some(id) => id,
            None => {
                let id = self.store.new_conversation(Some(&self.model))?;
                self.conversation = Some(id);
                id
            }
        };
        self.store
            .add_message(conversation, &NewMessage::new(Speaker::User, question))?;
        let role = self.settings.role.as_ref();
        // A role with `context = false` reads neither the profile nor the moment.
        let context = role.is_none_or(|r| r.context);
        let request = Request {
            question: question.to_string(),
            system: (self.settings.system.clone()).or_else(|| role.map(|r| r.prompt.clone())),
            profile: self.profile.clone().filter(|_| context),
            cell: self.cell.clone().filter(|_| context),
            history: history_of(earlier),
            ..Request::default()
        };
        let retrieve = !self.settings.no_context && context;
        let scope = role.map(|r| r.scope.clone()).unwrap_or_default();
        let destination = self.destination();
        let (paths, config) = (self.paths.clone(), self.config.clone());
        let encoder = self.encoder.clone();
        let max_tokens = self.settings.generation.max_tokens;
        // Retrieval and fitting run on the engine thread, with its token counter.
        let build = Box::new(move |count: &dyn crate::engine::TokenCount, window: u32| {
            let mut request = request;
            let mut notes = Vec::new();
            if retrieve {
                let (memories, m) = gather::memories(&paths, &request.question, &config);
                let policy = gather::policy(&config);
                let found = gather::retrieve_by(
                    &paths,
                    &request.question,
                    &config,
                    &policy,
                    &scope,
                    &encoder,
                );
                request.memories = memories;
                request.excerpts = found.excerpts;
                request.choices = found.choices;
                notes = m.into_iter().chain(found.notes).collect();
            }
            let budget = Budget::new(Some(window), window, max_tokens, true);
            let mut built = prompt::build(&request, count, &budget, &config.context, destination)?;
            notes.append(&mut built.notes);
            built.notes = notes;
            Ok(built)
        });
        // A new token per answer: an Esc pressed before the job starts still counts.
        self.cancel = CancelToken::new();
        let job = Job {
            question: question.to_string(),
            build,
            params: self.settings.generation.params(),
            cancel: self.cancel.clone(),
        };
        self.worker.submit(job)
    }

    /// Where this session's answers go, which decides what of a request may be in the prompt.
    fn destination(&self) -> Destination {
        if self.remote {
            Destination::Remote
        } else if self.settings.auto.is_some() {
            Destination::MayLeave
        } else {
            Destination::Local
        }
    }

    pub fn save_answer(&self, turn: &Turn) -> Result<(), Error> {
        let Some(conversation) = self.conversation else {
            return Ok(());
        };
        if turn.answer.is_empty() {
            return Ok(());
        }
        let g = turn.generation.as_ref();
        let sources = sources_json(&turn.sources);
        let message = NewMessage {
            role: Speaker::Assistant,
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
    pub fn remember(&self, facts: &[String]) -> Result<String, Error> {
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

    pub fn sessions(&self) -> Result<Vec<ConversationSummary>, Error> {
        self.store.list(50)
    }

    /// The turns of a stored conversation, which later questions continue.
    pub fn open(&mut self, id: i64) -> Result<Vec<Turn>, Error> {
        if self.store.summary(id)?.is_none() {
            return Err(crate::store::no_such_conversation(id));
        }
        let mut turns: Vec<Turn> = Vec::new();
        for m in self.store.messages(id)? {
            match m.role {
                Speaker::User => turns.push(Turn::new(m.text)),
                Speaker::Assistant => {
                    if let Some(t) = turns.last_mut().filter(|t| t.answer.is_empty()) {
                        t.answer = m.text;
                        t.state = TurnState::Done;
                    }
                }
                Speaker::System | Speaker::Tool => {}
            }
        }
        // A question whose answer never came is shown, but not as still running.
        for t in turns.iter_mut().filter(|t| t.state == TurnState::Waiting) {
            t.state = TurnState::Failed("no answer was stored".into());
        }
        self.conversation = Some(id);
        Ok(turns)
    }

    /// `/lora ARGS`: the adapters in use when ARGS is empty, else [`Self::set_lora`].
    pub fn lora(&mut self, arg: &str) -> Result<String, Error> {
        if arg.trim().is_empty() {
            Ok(self.lora_label())
        } else {
            self.set_lora(arg)
        }
    }

    /// `/lora`: sets the adapters for the next turns (`off` removes them), checked against the
    /// loaded model first. The model is not loaded again: the engine swaps adapters on its context.
    /// Returns what is in use now, to show.
    fn set_lora(&mut self, arg: &str) -> Result<String, Error> {
        let Some(model) = &self.local else {
            return Err(Error::user(
                "LoRA adapters apply to a local model, not to an endpoint",
            ));
        };
        let specs = if arg.trim() == "off" {
            Vec::new()
        } else {
            arg.split_whitespace()
                .map(crate::models::adapter::parse_spec)
                .collect::<Result<Vec<_>, _>>()?
        };
        let adapters = choose::adapters(&specs, model, &self.paths.registry_file())?;
        let generation = &mut self.settings.generation;
        generation.lora = specs;
        generation.adapters = adapters;
        Ok(self.lora_label())
    }

    /// The adapters in use, as the chat shows them.
    pub fn lora_label(&self) -> String {
        let lora = &self.settings.generation.lora;
        if lora.is_empty() {
            return "no LoRA adapters".into();
        }
        let listed: Vec<String> = lora
            .iter()
            .map(|(spec, scale)| format!("{} at {scale}", crate::render::sanitize_line(spec)))
            .collect();
        format!("LoRA adapters: {}", listed.join(", "))
    }

    pub fn switch_model(&mut self, name: &str) -> Result<(), Error> {
        let chosen = choose::choose_model(Some(name), &self.config, &self.paths.registry_file())?;
        self.switch_target(Target::Local(chosen))
    }

    /// Answers with `target` from the next turn: a local model is checked, and the adapters
    /// in use must fit it (otherwise the switch is refused); a remote one takes none.
    fn switch_target(&mut self, target: Target) -> Result<(), Error> {
        let generation = &mut self.settings.generation;
        match &target {
            Target::Local(chosen) => {
                crate::models::registry::check_file(&chosen.path)?;
                let registry = self.paths.registry_file();
                generation.adapters = choose::adapters(&generation.lora, chosen, &registry)?;
            }
            Target::Remote { name, .. } if !generation.lora.is_empty() => {
                return Err(Error::user(format!(
                    "LoRA adapters apply to the local model, not to endpoint '{name}'"
                ))
                .hint("`/lora off` first, or choose a role that answers locally"));
            }
            Target::Remote { .. } => generation.adapters = Vec::new(),
        }
        let (worker, window) =
            start_worker(&target, &self.settings, &self.config, self.reply.clone())?;
        self.worker = worker;
        self.local = local_model(&target);
        self.remote = matches!(target, Target::Remote { .. });
        self.window = window;
        self.model = target.label();
        Ok(())
    }

    /// Answers the next turns as the role `name`: its prompt, sampling, scope and context,
    /// and what answers (its model, endpoint or tier) when the command line named none.
    /// Returns what to tell the user.
    pub fn switch_role(&mut self, name: &str) -> Result<String, Error> {
        let role = crate::roles::find(&self.paths.config_dir, name)?;
        let overrides = self.settings.flags.clone().with_role(Some(&role));
        let generation = crate::pipeline::Settings::resolve(
            &overrides,
            crate::pipeline::settings::FrontDefaults::default(),
            &self.config,
        )?;
        let before = self.model.clone();
        let target = if self.settings.answerer_named {
            None
        } else {
            Some(self.target_of(&role)?).filter(|t| t.label() != self.model)
        };
        // The role's adapters are checked against what will answer; on an error the session
        // stays as it was.
        let kept = std::mem::replace(&mut self.settings.generation, generation);
        let switched = match target {
            Some(target) => self.switch_target(target),
            None => self.check_adapters(),
        };
        if let Err(e) = switched {
            self.settings.generation = kept;
            return Err(e);
        }
        let mut note = format!("now answering as {}: {}", role.name, role.description);
        if self.model != before {
            note.push_str(&format!(" (with {})", self.model));
        }
        if role.tier == Some(crate::router::TierChoice::Auto) {
            note.push_str("; its tier auto applies when a chat starts with --role");
        }
        self.settings.role = Some(role);
        Ok(note)
    }

    /// Finds the adapters asked for (and the model's own) for what answers now.
    fn check_adapters(&mut self) -> Result<(), Error> {
        let generation = &mut self.settings.generation;
        generation.adapters = match &self.local {
            Some(chosen) => {
                choose::adapters(&generation.lora, chosen, &self.paths.registry_file())?
            }
            None if !generation.lora.is_empty() => {
                return Err(Error::user(format!(
                    "LoRA adapters apply to a local model, not to {}",
                    self.model
                ))
                .hint("choose a role without adapters while an endpoint answers"))
            }
            None => Vec::new(),
        };
        Ok(())
    }

    /// What answers under `role` when the command line named nothing: its endpoint or fixed
    /// tier, else its model, else what answered when the chat began.
    fn target_of(&self, role: &Role) -> Result<Target, Error> {
        let tier = role.tier.and_then(crate::router::TierChoice::fixed);
        let registry = self.paths.registry_file();
        if role.endpoint.is_some() || tier.is_some_and(|t| t != crate::router::Tier::Local) {
            let mut target = choose::choose_target(
                role.endpoint.as_deref(),
                tier,
                None,
                &self.config,
                &registry,
            )?;
            if let Target::Remote { reason, .. } = &mut target {
                *reason = format!("role {}", role.name);
            }
            return Ok(target);
        }
        match (&role.model, &self.home) {
            (Some(model), _) => {
                choose::choose_model(Some(model), &self.config, &registry).map(Target::Local)
            }
            (None, Target::Local(_)) if self.remote => Ok(self.home.clone()),
            // The model in use stays: a chat that began on a local model keeps the one
            // `/model` chose.
            _ => Ok(match &self.local {
                Some(chosen) => Target::Local(chosen.clone()),
                None => self.home.clone(),
            }),
        }
    }

    /// The role the turns are answered as, for `/role` alone.
    pub fn role(&self) -> Option<&Role> {
        self.settings.role.as_ref()
    }
}

fn start_worker(
    target: &Target,
    s: &Settings,
    config: &Config,
    reply: ReplyFn,
) -> Result<(Worker, u32), Error> {
    if let Target::Local(chosen) = target {
        crate::models::registry::check_file(&chosen.path)?;
    }
    let config = WorkerConfig {
        config: config.clone(),
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

/// What `/role` alone says.
pub fn describe_role(role: Option<&Role>) -> String {
    match role {
        Some(r) => format!(
            "answering as {}: {} ({})",
            r.name,
            r.description,
            r.source()
        ),
        None => "no role; /role NAME answers as one (`pai role list`)".into(),
    }
}

fn local_model(target: &Target) -> Option<choose::ChosenModel> {
    match target {
        Target::Local(chosen) => Some(chosen.clone()),
        Target::Remote { .. } => None,
    }
}

/// The earlier turns as chat messages, for the model to continue from.
pub fn history_of(turns: &[Turn]) -> Vec<Message> {
    let mut messages = Vec::new();
    for t in turns.iter().filter(|t| t.answered()) {
        messages.push(Message::new(Speaker::User, t.question.clone()));
        messages.push(Message::new(Speaker::Assistant, t.answer.clone()));
    }
    messages
}

fn sources_json(sources: &[Excerpt]) -> Option<String> {
    if sources.is_empty() {
        return None;
    }
    serde_json::to_string(&context::sources_json(sources)).ok()
}
