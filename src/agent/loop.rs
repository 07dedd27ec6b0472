//! The loop: ask the model, run the calls it makes, feed the results back, until an answer,
//! the step limit, the time limit, the token budget or Ctrl-C.
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

use super::approval::{Approval, Policy, Rule};
use super::roots::Roots;
use super::route::{self, Engines, Place, Plan};
use super::tools::{self, Outcome, Output, Planned, ToolCtx};
use super::{Ended, EngineFigures, Front, Run, Step, Task, PROMPT};
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::context::Request;
use crate::engine::{Engine, GenerateParams, Generation, Sink};
use crate::error::Error;
use crate::message::{Message, Role};
use crate::pipeline::request::{Ask, Env, Gather};
use crate::pipeline::{answer, Budget, Settings};
use crate::store::agent::NewStep;
use crate::store::{NewMessage, Store};
use crate::tool::{ToolCall, ToolChoice, Tools};

/// What a private result becomes in a request that leaves the machine.
pub const WITHHELD: &str =
    "[withheld: this result holds text from a private source, which stays on this machine]";

/// Runs `task` to its end. `ask` carries the model flags (`--tier`, `--endpoint`, `--model`,
/// sampling) as for `pai ask`.
pub fn run(env: &Env, ask: &Ask, task: &Task, front: &dyn Front) -> Result<Run, Error> {
    let (config, settings) = answer::resolve(env, ask)?;
    let policy = Policy::from_settings(&config.agent)?;
    let roots = Roots::load(env.paths, &task.folder)?;
    let (mcp, notes) = super::mcp::start_all(&config.mcp.servers);
    for note in notes {
        env.report.note(&note);
    }
    let mut request = Request {
        question: task.text.clone(),
        system: Some(PROMPT.trim().to_string()),
        ..Request::default()
    };
    // The profile, the moment and remembered facts; excerpts are the search tool's to find.
    answer::gather_into(env, &Gather::default(), &config, &mut request);
    let plan = route::plan(env, ask, &config, &request)?;
    let budget = Budget::new(settings.ctx, 8192, settings.max_tokens, false);
    let base = crate::pipeline::fit(&request, &Estimate, &budget, &config.context)?.messages;
    let store = Store::open(&env.paths.database_file())?;
    let conversation = store.new_conversation(None)?;
    store.add_message(conversation, &NewMessage::new(Role::User, &task.text))?;
    let folder = roots.folder.display().to_string();
    let id = store.start_run(&task.text, &folder, Some(conversation))?;
    let prepared = OnceCell::new();
    let mut runner = Runner {
        env,
        ask,
        task,
        front,
        config: &config,
        settings: &settings,
        plan,
        policy,
        roots,
        specs: tools::specs(&mcp),
        mcp: &mcp,
        store,
        id,
        conversation,
        messages: base,
        private: HashSet::new(),
        steps: Vec::new(),
        tokens: 0,
        started: Instant::now(),
        cancel: crate::cancel::interrupt_token(),
        engines: Engines::new(&prepared),
        local_specs: None,
        seen: HashMap::new(),
        fruitless: 0,
        outside_ms: 0.0,
    };
    let result = runner.go();
    let own_ms = runner.started.elapsed().as_secs_f64() * 1000.0 - runner.outside_ms;
    let (answer, ended) = match &result {
        Ok(done) => done.clone(),
        Err(_) => (String::new(), Ended::Interrupted),
    };
    let outcome = if result.is_err() {
        "failed"
    } else {
        ended.as_str()
    };
    runner.store.end_run(id, outcome, Some(&answer))?;
    result?;
    Ok(Run {
        id,
        conversation,
        answer,
        ended,
        steps: runner.steps,
        tokens: runner.tokens,
        tier: runner.plan.tier.to_string(),
        reason: runner.plan.reason,
        own_ms,
    })
}

/// pai's tools that only read: the same call again, with nothing changed, tells nothing new.
const READ_ONLY: [&str; 5] = ["search", "read", "list", "grep", "recall"];

/// Model steps in a row whose calls all failed, after which a local model must answer.
const FRUITLESS_STEPS: u32 = 2;

/// A run in progress.
struct Runner<'a, 'p> {
    env: &'a Env<'a>,
    ask: &'a Ask<'a>,
    task: &'a Task,
    front: &'a dyn Front,
    config: &'a Config,
    settings: &'a Settings,
    plan: Plan,
    policy: Policy,
    roots: Roots,
    /// The tools offered: pai's and the MCP servers'.
    specs: Vec<crate::tool::ToolSpec>,
    mcp: &'a [super::mcp::Server],
    store: Store,
    id: i64,
    conversation: i64,
    messages: Vec<Message>,
    /// Ids of the calls whose results came from private sources.
    private: HashSet<String>,
    steps: Vec<Step>,
    tokens: u64,
    started: Instant,
    cancel: CancelToken,
    engines: Engines<'p>,
    /// The tools a local model is offered (see [`super::offer`]), chosen at its first step.
    local_specs: Option<Vec<crate::tool::ToolSpec>>,
    /// Read-only calls made since the last change, by name and arguments: the step of each.
    seen: HashMap<(String, String), u32>,
    /// Model steps in a row whose calls all failed.
    fruitless: u32,
    /// Time spent outside pai's own work: loading, the engine, the tools.
    outside_ms: f64,
}

impl Runner<'_, '_> {
    fn go(&mut self) -> Result<(String, Ended), Error> {
        for step in 1..=self.task.limits.max_steps {
            if let Some(ended) = self.limit_reached() {
                return Ok((String::new(), ended));
            }
            let (text, generation) = self.model_step(step)?;
            if generation.stop_reason == crate::engine::StopReason::Interrupted {
                return Ok((text, Ended::Interrupted));
            }
            if generation.tool_calls.is_empty() {
                self.keep(Role::Assistant, &text)?;
                return Ok((text, Ended::Answered));
            }
            let calls = generation.tool_calls;
            self.keep(Role::Assistant, &calls_text(&text, &calls))?;
            self.messages.push(Message::calls(text, calls.clone()));
            let mut any_ok = false;
            for call in &calls {
                if self.cancel.is_cancelled() {
                    return Ok((String::new(), Ended::Interrupted));
                }
                any_ok |= self.tool_step(step, call)? == Outcome::Ok;
            }
            self.fruitless = if any_ok { 0 } else { self.fruitless + 1 };
            if self.cancel.is_cancelled() {
                return Ok((String::new(), Ended::Interrupted));
            }
        }
        Ok((String::new(), Ended::MaxSteps))
    }

    fn limit_reached(&self) -> Option<Ended> {
        if self.cancel.is_cancelled() {
            Some(Ended::Interrupted)
        } else if self.started.elapsed() >= self.task.limits.time {
            Some(Ended::TimeLimit)
        } else if self.task.limits.tokens.is_some_and(|t| self.tokens >= t) {
            Some(Ended::TokenBudget)
        } else {
            None
        }
    }

    /// The tools a step is offered. A local model gets its narrower set (see [`super::offer`]),
    /// and must answer at the last step and after [`FRUITLESS_STEPS`] failed ones: the tools
    /// stay in its prompt (so the cache holds), only the choice changes.
    fn offered(&mut self, place: Place, step: u32) -> Tools {
        if place == Place::Remote {
            return Tools {
                specs: self.specs.clone(),
                choice: ToolChoice::Auto,
                parallel: true,
            };
        }
        let specs = self
            .local_specs
            .get_or_insert_with(|| super::offer::local(&self.specs, &self.task.text, &self.roots))
            .clone();
        let answer_now = step >= self.task.limits.max_steps || self.fruitless >= FRUITLESS_STEPS;
        Tools {
            specs,
            choice: if answer_now {
                ToolChoice::None
            } else {
                ToolChoice::Auto
            },
            parallel: true,
        }
    }

    /// The model's answer where the plan puts this step, with the tier's name and, for a
    /// remote call, its row in the calls log.
    fn call_model(
        &mut self,
        place: Place,
        params: &GenerateParams,
        sink: &mut Collect,
    ) -> Result<ModelAnswer, Error> {
        Ok(match place {
            Place::Local => {
                let loading = Instant::now();
                let engine = self.engines.local(self.env, self.ask)?;
                self.outside_ms += loading.elapsed().as_secs_f64() * 1000.0;
                super::fit::fit(
                    &mut self.messages,
                    &*engine,
                    &params.tools,
                    room(&*engine, params),
                );
                let result = engine.generate(&self.messages, params, &self.cancel, sink);
                (result, "local".to_string(), None)
            }
            Place::Remote => {
                let engine = self.engines.remote(self.env, self.config, &self.plan)?;
                super::fit::fit(
                    &mut self.messages,
                    &*engine,
                    &params.tools,
                    room(&*engine, params),
                );
                let sent = withheld(&self.messages, &self.private);
                let waiting = Instant::now();
                let result = engine.generate(&sent, params, &self.cancel, sink);
                // A remote call's time is the model's: pai's part of it is not told apart.
                self.outside_ms += waiting.elapsed().as_secs_f64() * 1000.0;
                (result, self.plan.tier.to_string(), engine.last.row)
            }
        })
    }

    /// What the local engine says of a step's prompt and generation; pai's own time leaves
    /// them out.
    fn engine_figures(
        &mut self,
        result: &Result<Generation, crate::engine::EngineError>,
        place: Place,
    ) -> Option<EngineFigures> {
        match (result, place) {
            (Ok(g), Place::Local) => {
                self.outside_ms += g.prompt_ms + g.generation_ms;
                Some(EngineFigures {
                    prompt_tokens: g.prompt_tokens,
                    reused_tokens: g.reused_tokens,
                    prompt_ms: g.prompt_ms,
                    generation_ms: g.generation_ms,
                })
            }
            _ => None,
        }
    }

    /// One model call: the conversation so far, the tools offered.
    fn model_step(&mut self, step: u32) -> Result<(String, Generation), Error> {
        let place = self.plan.place(!self.private.is_empty());
        let params = GenerateParams {
            tools: self.offered(place, step),
            ..self.settings.params()
        };
        let started = Instant::now();
        let mut sink = Collect(String::new());
        let (result, tier, call) = self.call_model(place, &params, &mut sink)?;
        let engine = self.engine_figures(&result, place);
        let name = self.engines.name(place);
        let (outcome, size) = match &result {
            Ok(g) => (
                format!("{:?}", g.stop_reason).to_lowercase(),
                g.generated_tokens as u64,
            ),
            Err(_) => ("error".to_string(), 0),
        };
        let text = sink.0;
        let calls = result
            .as_ref()
            .map(|g| g.tool_calls.clone())
            .unwrap_or_default();
        let record = format!("{text}{}", calls_text("", &calls));
        self.record(
            Step {
                step,
                kind: "model",
                name,
                short: format!("{} calls", calls.len()),
                outcome,
                approval: "none",
                tier,
                ms: started.elapsed().as_secs_f64() * 1000.0,
                size,
                exit_status: None,
                engine,
            },
            None,
            Some(&record),
            call,
        )?;
        let generation = result.map_err(crate::pipeline::engine_error)?;
        self.tokens += (generation.prompt_tokens + generation.generated_tokens) as u64;
        Ok((text, generation))
    }

    /// One tool call: planned, approved, run, recorded, its result added to the conversation.
    fn tool_step(&mut self, step: u32, call: &ToolCall) -> Result<Outcome, Error> {
        let started = Instant::now();
        let (short, approval, output) = self.carry_out(step, call);
        if output.private {
            self.private.insert(call.id.clone());
        }
        self.outside_ms += started.elapsed().as_secs_f64() * 1000.0;
        let outcome = output.outcome;
        self.record(
            Step {
                step,
                kind: "tool",
                name: super::roots::clip(&call.name),
                short,
                outcome: output.outcome.as_str().to_string(),
                approval,
                tier: "local".into(),
                ms: started.elapsed().as_secs_f64() * 1000.0,
                size: output.text.len() as u64,
                exit_status: output.exit_status,
                engine: None,
            },
            Some(&call.arguments),
            Some(&output.text),
            None,
        )?;
        let kept = format!(
            "{} → {}\n{}",
            call.name,
            output.outcome.as_str(),
            output.text
        );
        self.keep(Role::Tool, &kept)?;
        self.messages
            .push(Message::tool_result(&call.id, output.text));
        Ok(outcome)
    }

    /// A call's short form, approval and output: refused, repeated, or planned and run.
    fn carry_out(&mut self, step: u32, call: &ToolCall) -> (String, &'static str, Output) {
        let ctx = ToolCtx {
            paths: self.env.paths,
            roots: &self.roots,
            encoder: self.env.encoder,
            cancel: &self.cancel,
            net: self.task.net,
            deadline: self.started + self.task.limits.time,
            mcp: self.mcp,
        };
        match call.parsed_arguments() {
            Err(e) => (
                super::roots::clip(&call.arguments),
                "none",
                Output::with(Outcome::Error, format!("the arguments are not JSON: {e}")),
            ),
            Ok(_) if self.repeated(call).is_some() => {
                let earlier = self.repeated(call).unwrap_or(step);
                let why = format!("not run again: step {earlier} made this same call and its result is above; answer from it or call something else");
                (
                    super::roots::clip(&call.arguments),
                    "none",
                    Output::with(Outcome::Error, why),
                )
            }
            Ok(args) => match tools::plan(&ctx, &call.name, &args) {
                Err(o) => {
                    if READ_ONLY.contains(&call.name.as_str()) {
                        let key = (call.name.clone(), canonical(&args));
                        self.seen.entry(key).or_insert(step);
                    }
                    let approval = if o.outcome == Outcome::Refused {
                        "refused"
                    } else {
                        "none"
                    };
                    (String::new(), approval, o)
                }
                Ok(planned) => {
                    let short = planned.short.clone();
                    let reads = planned.reach == tools::Reach::Reads;
                    let (approval, output) = self.approve_and_run(&ctx, &call.name, planned);
                    if !reads && output.outcome == Outcome::Ok {
                        self.seen.clear(); // something changed: reading again may tell more
                    } else if reads {
                        let key = (call.name.clone(), canonical(&args));
                        self.seen.entry(key).or_insert(step);
                    }
                    (short, approval.as_str(), output)
                }
            },
        }
    }

    /// The step that made this same read-only call already, since the last change.
    fn repeated(&self, call: &ToolCall) -> Option<u32> {
        let args = call.parsed_arguments().ok()?;
        self.seen
            .get(&(call.name.clone(), canonical(&args)))
            .copied()
    }

    fn approve_and_run(&self, ctx: &ToolCtx, name: &str, planned: Planned) -> (Approval, Output) {
        let relative = planned.path.as_deref().map(|p| {
            p.strip_prefix(&self.roots.folder)
                .unwrap_or(p)
                .to_path_buf()
        });
        let acts = planned.reach == tools::Reach::Acts;
        let rule = self.policy.rule(name, relative.as_deref(), acts);
        if rule != Rule::Deny {
            if let Some(preview) = planned.preview.as_deref().filter(|_| name == "edit") {
                self.front.preview(preview);
            }
        }
        let approval = match rule {
            Rule::Deny => {
                let why = format!("refused: the user's policy ([agent] deny in config.toml) does not allow {name} here");
                return (Approval::Refused, Output::with(Outcome::Denied, why));
            }
            Rule::Allow => Approval::Auto,
            Rule::Ask if self.task.yes => Approval::Auto,
            Rule::Ask => {
                let what = planned
                    .preview
                    .clone()
                    .unwrap_or_else(|| planned.short.clone());
                match self
                    .front
                    .confirm(&format!("{name}: {}", first_line(&what)))
                {
                    Some(true) => Approval::Asked,
                    Some(false) => {
                        let why = format!("refused: the user said no to this {name}");
                        return (Approval::Refused, Output::with(Outcome::Denied, why));
                    }
                    None => {
                        let why = format!("refused: {name} needs the user's approval and there is no terminal to ask on (the user may rerun with --yes, or allow it in config.toml's [agent])");
                        return (Approval::Refused, Output::with(Outcome::Denied, why));
                    }
                }
            }
        };
        (approval, tools::execute(ctx, planned))
    }

    /// Writes a step's row and tells the front end.
    fn record(
        &mut self,
        step: Step,
        arguments: Option<&str>,
        result: Option<&str>,
        call: Option<i64>,
    ) -> Result<(), Error> {
        self.store.record_step(&NewStep {
            run: self.id,
            step: step.step,
            kind: step.kind,
            name: &step.name,
            arguments,
            approval: step.approval,
            outcome: &step.outcome,
            exit_status: step.exit_status,
            result,
            tier: &step.tier,
            call,
            ms: step.ms,
        })?;
        self.front.step(&step);
        self.steps.push(step);
        Ok(())
    }

    /// Adds a message to the conversation in the history.
    fn keep(&self, role: Role, text: &str) -> Result<(), Error> {
        self.store
            .add_message(self.conversation, &NewMessage::new(role, text))
            .map(|_| ())
    }
}

/// Arguments in one spelling, whatever their order or spacing.
fn canonical(args: &serde_json::Value) -> String {
    use serde_json::Value;
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&map[k])))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    // serde_json keeps keys in the order written here (its preserve_order feature is on).
    sorted(args).to_string()
}

/// The tokens a step's prompt may take: the window less the answer's reserve.
fn room(engine: &dyn Engine, params: &GenerateParams) -> usize {
    engine.window().saturating_sub(params.max_tokens) as usize
}

/// The conversation as it may leave: private results withheld.
fn withheld(messages: &[Message], private: &HashSet<String>) -> Vec<Message> {
    messages
        .iter()
        .map(|m| match &m.tool_call_id {
            Some(id) if private.contains(id) => Message::tool_result(id, WITHHELD),
            _ => m.clone(),
        })
        .collect()
}

/// An assistant turn's calls as the history shows them.
fn calls_text(text: &str, calls: &[ToolCall]) -> String {
    let mut out = text.to_string();
    for call in calls {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("→ {} {}", call.name, call.arguments));
    }
    out
}

fn first_line(text: &str) -> String {
    super::roots::clip(text.lines().next().unwrap_or(""))
}

/// A model call's result, the tier that answered and its row in the calls log (remote only).
type ModelAnswer = (
    Result<Generation, crate::engine::EngineError>,
    String,
    Option<i64>,
);

/// The answer's text, gathered.
struct Collect(String);

impl Sink for Collect {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.0.push_str(text);
        Ok(true)
    }
}

/// Counts by estimate (about three bytes a token), for fitting the opening prompt before any
/// model is chosen: it holds only the prompt, the profile, the moment and the task.
struct Estimate;

impl crate::engine::TokenCount for Estimate {
    fn prompt_tokens(&self, messages: &[Message]) -> usize {
        crate::engine::remote::RemoteEngine::estimate_prompt(messages)
    }

    fn text_tokens(&self, text: &str) -> usize {
        crate::engine::remote::RemoteEngine::estimate_text(text)
    }
}
