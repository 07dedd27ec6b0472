//! What the editor commands (`edit`, `explain`, `complete`) share: the selection on stdin,
//! read exactly as the editor sent it, and turning a model's reply back into text that can
//! replace it: no fences, no preamble, the selection's indentation and final newline.
use std::io::Read;

use super::prompt::PromptArgs;
use crate::cli::error::CliError;

/// Reads the whole selection from stdin, bytes as they are (no trimming).
pub fn read_selection(what: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read stdin: {e}")))?;
    if bytes.contains(&0) {
        return Err(CliError::user("stdin looks like binary data, not text"));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if text.trim().is_empty() {
        return Err(
            CliError::user(format!("there is nothing on stdin to {what}")).hint(format!(
                "pipe the selection in: pai {what} … < file, or :'<,'>!pai {what} … in vim"
            )),
        );
    }
    Ok(text)
}

/// Prompt flags for the context pipeline: the instruction is what the index is searched for.
pub fn prompt_args(words: &[String], no_context: bool) -> PromptArgs {
    PromptArgs {
        prompt: words.to_vec(),
        files: Vec::new(),
        system: None,
        no_context,
        excerpts: true,
        scope: Vec::new(),
    }
}

/// A front end's own prompt, after the role's when there is one: the role says who answers,
/// the task prompt's format rules (only the replacement, one command) still hold.
pub fn task_prompt(role: Option<&crate::roles::Role>, task: &str) -> String {
    match role {
        Some(role) => role.before(task),
        None => task.trim_end().to_string(),
    }
}

/// The replacement text from a model's reply to an edit: the inside of a fenced block when
/// there is one, no "Here is…" line, the selection's common indentation when the reply lost
/// it, and the selection's final newline (or its absence).
pub fn replacement(reply: &str, selection: &str) -> String {
    let reply = strip_tags(reply);
    let body = inside_fence(&reply).unwrap_or(&reply);
    let mut lines: Vec<&str> = body.lines().collect();
    while lines
        .first()
        .is_some_and(|l| l.trim().is_empty() || is_preamble(l))
    {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        return String::new();
    }
    let want = common_indent(selection.lines());
    let have = common_indent(lines.iter().copied());
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            if !want.is_empty() && have.is_empty() && !l.trim().is_empty() {
                format!("{want}{l}")
            } else {
                l.to_string()
            }
        })
        .collect();
    // A one-line selection is replaced by as many lines as the model wrote; the text that led
    // into it (a quote the model added) is dropped.
    if let [only] = out.as_mut_slice() {
        *only = strip_quotes(only, selection);
    }
    let mut text = out.join("\n");
    if selection.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Small models echo the prompt's `<attachment name="…">` markup around their answer.
fn strip_tags(reply: &str) -> String {
    let mut out = reply.replace("</attachment>", "");
    while let Some(start) = out.find("<attachment") {
        let end = out[start..].find('>').map_or(out.len(), |i| start + i + 1);
        let end = if out[end..].starts_with('\n') {
            end + 1
        } else {
            end
        };
        out.replace_range(start..end, "");
    }
    out
}

fn inside_fence(reply: &str) -> Option<&str> {
    let start = reply.find("```")?;
    let after = &reply[start + 3..];
    let body_start = after.find('\n')? + 1;
    let body = &after[body_start..];
    let end = if body.starts_with("```") {
        0
    } else {
        body.find("\n```").map(|i| i + 1).unwrap_or(body.len())
    };
    Some(&body[..end])
}

fn is_preamble(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    ([
        "here is",
        "here's",
        "sure",
        "certainly",
        "okay",
        "the edited",
        "edited",
        "below is",
    ]
    .iter()
    .any(|o| t.starts_with(o)))
        && (t.ends_with(':') || t.ends_with('!') || t.ends_with('.'))
}

fn common_indent<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut common: Option<&str> = None;
    for l in lines.filter(|l| !l.trim().is_empty()) {
        let indent = &l[..l.len() - l.trim_start().len()];
        common = Some(match common {
            None => indent,
            Some(c) => {
                let n = c
                    .chars()
                    .zip(indent.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                &c[..n]
            }
        });
    }
    common.unwrap_or("").to_string()
}

fn strip_quotes(line: &str, selection: &str) -> String {
    let t = line.trim();
    let sel = selection.trim();
    for q in ['"', '\'', '`'] {
        if t.len() > 2
            && t.starts_with(q)
            && t.ends_with(q)
            && !(sel.starts_with(q) && sel.ends_with(q))
        {
            let indent = &line[..line.len() - line.trim_start().len()];
            return format!("{indent}{}", &t[1..t.len() - 1]);
        }
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_preambles_go_and_the_newline_follows_the_selection() {
        let reply = "Here is the edited text:\n```rust\nfn a() {}\n```\nI changed the name.";
        assert_eq!(replacement(reply, "fn b() {}\n"), "fn a() {}\n");
        assert_eq!(replacement("fn a() {}\n\n", "fn b() {}"), "fn a() {}");
        assert_eq!(
            replacement("Sure!\nthe quick brown fox", "teh quick brwon fox\n"),
            "the quick brown fox\n"
        );
    }

    #[test]
    fn lost_indentation_is_put_back() {
        let sel = "    let x = 1;\n    let y = 2;\n";
        assert_eq!(
            replacement("let x = 1;\nlet y = 3;", sel),
            "    let x = 1;\n    let y = 3;\n"
        );
        assert_eq!(
            replacement("    if a {\n        b\n    }", sel),
            "    if a {\n        b\n    }\n"
        );
    }

    #[test]
    fn quotes_around_a_one_line_reply_go() {
        assert_eq!(
            replacement("\"the quick brown fox\"", "teh fox\n"),
            "the quick brown fox\n"
        );
        assert_eq!(replacement("\"kept\"", "\"quoted\"\n"), "\"kept\"\n");
    }

    #[test]
    fn echoed_prompt_markup_goes() {
        let reply = "<attachment name=\"selection\">\nthe quick brown fox</attachment>";
        assert_eq!(replacement(reply, "teh fox\n"), "the quick brown fox\n");
    }

    #[test]
    fn an_empty_reply_is_empty() {
        assert_eq!(replacement("```\n```", "x\n"), "");
        assert_eq!(replacement("  \n", "x\n"), "");
    }
}
