//! The `context` tool: the prompt pai's model would read for a question, through the same
//! path as `pai context` (settings, model, gathering, fitting to the window, the chat
//! template), so the two show the same prompt. One difference, by design: excerpts from
//! private folders, or from files that lead outside the public sources, are never served,
//! so they are left out before the request is fitted.
use serde_json::{json, Value};

use super::args::{required_str, Args};
use super::error::ToolError;
use super::reply::{text_result, Capped};
use super::served;
use crate::config::Config;
use crate::context::{self, Request};
use crate::paths::Paths;
use crate::pipeline::preview::{self, Preview};
use crate::pipeline::settings::FrontDefaults;
use crate::pipeline::{choose, gather, Overrides, Settings};
use crate::render::sanitize;

pub fn context(paths: &Paths, args: &Args) -> Result<Value, ToolError> {
    let question = required_str(args, "question")?;
    let config = Config::load(&paths.config_file())?;
    let settings = Settings::resolve(&Overrides::default(), FrontDefaults::default(), &config)?;
    let chosen = choose::choose_model(None, &config, &paths.registry_file())?;
    let confine = served::confine(paths)?;
    let mut request = Request {
        question: question.to_string(),
        ..Request::default()
    };
    let notes = gather::gather(paths, &config, &mut request, true, &[]);
    request
        .excerpts
        .retain(|e| !e.private && confine.check_indexed(&e.path).is_some());
    let preview = preview::local(&chosen, &settings, &request, &config.context, false)?;
    let mut out = Capped::new();
    out.push(&sanitize(&preview.prompt));
    let cut = out.cut;
    let mut structured = described(&preview, &confine);
    structured["model"] = json!(sanitize(&chosen.name));
    structured["notes"] = json!(notes.iter().map(|n| sanitize(n)).collect::<Vec<_>>());
    structured["truncated"] = json!(cut);
    Ok(text_result(out.finish(), structured))
}

/// The prompt's window, sections, sources, memories and cuts, as `pai context --json` names
/// them; every source names the public folder it came from.
fn described(preview: &Preview, confine: &super::confine::Confine) -> Value {
    let assembled = &preview.assembled;
    let sources: Vec<Value> = context::sources_json(&assembled.sources)
        .into_iter()
        .zip(&assembled.sources)
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
    let memories: Vec<Value> = assembled
        .kept
        .memories
        .iter()
        .map(|m| json!({"id": m.id, "text": sanitize(&m.text)}))
        .collect();
    let cuts: Vec<String> = assembled.cuts.iter().map(|c| sanitize(c)).collect();
    json!({
        "window": preview.budget.window,
        "answer_reserve": preview.budget.reserve,
        "prompt_tokens": assembled.prompt_tokens,
        "control_tokens": preview.control_tokens,
        "sections": sections,
        "sources": sources,
        "memories": memories,
        "cuts": cuts,
    })
}
