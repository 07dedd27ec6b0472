//! `PAI_PROMPT_LOG=FILE`: every prompt a local model reads, as one JSON line of token ids
//! appended to FILE. For finding out exactly what a front end sent (and for the test that the
//! front ends send the same prompt for the same request); unset, it costs one lookup.
use std::io::Write;

use llama_cpp_2::token::LlamaToken;

/// Appends `tokens` to the log, when one is asked for. A log that cannot be written is
/// skipped: it never stops an answer.
pub fn record(tokens: &[LlamaToken]) {
    let Some(path) = std::env::var_os("PAI_PROMPT_LOG").filter(|p| !p.is_empty()) else {
        return;
    };
    let ids: Vec<i32> = tokens.iter().map(|t| t.0).collect();
    let line = serde_json::json!({ "tokens": ids }).to_string();
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}
