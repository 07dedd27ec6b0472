//! The `context` tool: the prompt pai's model would read for a question, through the path
//! `pai context` takes ([`preview::preview`]: settings, model, gathering, fitting to the
//! window, the chat template), so the two show the same prompt. One difference, by design:
//! excerpts from private folders, or from files that lead outside the public sources, are
//! never served, so they leave the request before it is fitted.
use std::cell::RefCell;

use serde_json::{json, Value};

use super::args::{required_str, Args};
use super::confine::Confine;
use super::error::ToolError;
use super::reply::{text_result, Capped};
use super::served;
use crate::config::Config;
use crate::index::Encoder;
use crate::paths::Paths;
use crate::pipeline::preview::{self, Preview, Sent};
use crate::pipeline::report::Report;
use crate::pipeline::request::{Ask, Env, Gather};
use crate::pipeline::settings::FrontDefaults;
use crate::pipeline::{answer, sources_json, Overrides, Request};
use crate::render::sanitize;

pub fn context(paths: &Paths, encoder: &Encoder, args: &Args) -> Result<Value, ToolError> {
    let question = required_str(args, "question")?;
    let notes = Notes::default();
    let env = Env {
        paths,
        report: &notes,
        encoder,
    };
    let config = Config::load(&paths.config_file())?;
    let confine = served::confine(paths)?;
    let mut request = Request {
        question: question.to_string(),
        ..Request::default()
    };
    // What `pai context QUESTION` gathers, then only what may be served.
    let everything = Gather {
        excerpts: true,
        scope: Vec::new(),
    };
    answer::gather_into(&env, &everything, &config, &mut request);
    let (mut request, _) = crate::router::privacy::shareable(&request);
    request
        .excerpts
        .retain(|e| confine.check_indexed(&e.path).is_some());
    let ask = Ask {
        front: "mcp",
        overrides: Overrides::default(),
        tier: None,
        gather: None,
        defaults: FrontDefaults::default(),
        show_sources: false,
        grammar: None,
        role: None,
    };
    let preview = preview::preview(&env, &ask, request)?;
    let Sent::Local { text, .. } = &preview.sent else {
        return Err(ToolError::Internal(
            "the context tool previews the local model, but an endpoint was chosen".into(),
        ));
    };
    let mut out = Capped::new();
    out.push(&sanitize(text));
    let mut structured = described(&preview, &confine);
    structured["notes"] = json!(notes.0.take());
    structured["truncated"] = json!(out.cut);
    Ok(text_result(out.finish(), structured))
}

/// What the pipeline said while it worked (an index it could not read, a cut to fit the
/// window), kept for the result.
#[derive(Default)]
struct Notes(RefCell<Vec<String>>);

impl Report for Notes {
    fn note(&self, text: &str) {
        self.0.borrow_mut().push(sanitize(text));
    }
}

/// The model, window, sections, sources, memories and cuts, as `pai context --json` names
/// them; every source also names the public folder it came from.
fn described(preview: &Preview, confine: &Confine) -> Value {
    let sources: Vec<Value> = sources_json(&preview.sources)
        .into_iter()
        .zip(&preview.sources)
        .map(|(mut s, e)| {
            let source = confine.check_indexed(&e.path).map(|(_, s)| s);
            s["path"] = json!(sanitize(&e.path.to_string_lossy()));
            s["title"] = json!(sanitize(&e.title));
            s["source"] = json!(source.map(|s| sanitize(&s.to_string_lossy())));
            s
        })
        .collect();
    let sections: Vec<Value> = preview
        .sections
        .iter()
        .map(|s| json!({"name": sanitize(&s.name), "tokens": s.tokens}))
        .collect();
    let memories: Vec<Value> = preview
        .memories
        .iter()
        .map(|m| json!({"id": m.id, "text": sanitize(&m.text)}))
        .collect();
    let control_tokens = match &preview.sent {
        Sent::Local { control_tokens, .. } => Some(*control_tokens),
        Sent::Remote { .. } => None,
    };
    json!({
        "model": sanitize(&preview.model),
        "window": preview.window,
        "answer_reserve": preview.answer_reserve,
        "prompt_tokens": preview.prompt_tokens,
        "control_tokens": control_tokens,
        "sections": sections,
        "sources": sources,
        "memories": memories,
        "cuts": preview.cuts.iter().map(|c| sanitize(c)).collect::<Vec<_>>(),
    })
}
