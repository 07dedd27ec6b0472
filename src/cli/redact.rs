//! `pai redact`: stdin with its secrets replaced, exactly as a remote tier would receive it,
//! and a one-line summary on stderr. It opens nothing: no config, no model, no store.
use std::io::{IsTerminal, Read, Write};

use serde_json::json;

use crate::cli::error::CliError;
use crate::pipeline::Redactor;

/// Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private
/// keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1].
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object: text, count, redactions (placeholder and kind) and leaks.
    #[arg(long)]
    pub json: bool,
}

/// The most stdin pai reads; more is almost surely a mistake.
const MAX_BYTES: u64 = 64 << 20;

pub fn run(args: &Args) -> Result<(), CliError> {
    let text = read_stdin()?;
    let mut redactor = Redactor::new();
    let redacted = redactor.redact(&text);
    let leaks = Redactor::leaks(&redacted);
    let mut out = std::io::stdout().lock();
    if args.json {
        let redactions: Vec<_> = redactor
            .redactions()
            .into_iter()
            .map(|(placeholder, kind)| json!({ "placeholder": placeholder, "kind": kind }))
            .collect();
        let value = json!({
            "text": redacted,
            "count": redactor.count(),
            "redactions": redactions,
            "leaks": leaks,
        });
        writeln!(out, "{}", crate::render::escape_json(&value.to_string()))?;
    } else if std::io::stdout().is_terminal() {
        out.write_all(crate::render::sanitize(&redacted).as_bytes())?;
    } else {
        out.write_all(redacted.as_bytes())?;
    }
    out.flush()?;
    eprintln!("pai: {}", summary(&redactor));
    if !leaks.is_empty() {
        eprintln!(
            "pai: after redaction the text still looks like it holds {}; such a request would stay local",
            leaks.join(", ")
        );
    }
    Ok(())
}

/// "3 secrets replaced: 2 aws_access_key, 1 password", or "no secrets found".
fn summary(redactor: &Redactor) -> String {
    let count = redactor.count();
    if count == 0 {
        return "no secrets found".into();
    }
    let kinds: Vec<String> = redactor
        .kinds()
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let noun = if count == 1 { "secret" } else { "secrets" };
    format!("{count} {noun} replaced: {}", kinds.join(", "))
}

fn read_stdin() -> Result<String, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(
            CliError::user("pai redact reads the text from stdin, which is a terminal")
                .hint("pai redact < file, or: some-command | pai redact"),
        );
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read stdin: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(CliError::user(format!(
            "stdin is over {} MiB; redact it in parts",
            MAX_BYTES >> 20
        )));
    }
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(CliError::user("there is nothing on stdin to redact")
            .hint("pai redact < file, or: some-command | pai redact"));
    }
    Ok(text)
}

/// Text, allowing a few invalid UTF-8 sequences (a cut multibyte character, a stray Latin-1
/// byte); NUL bytes or more invalid sequences than that mean binary data.
fn decode(bytes: Vec<u8>) -> Result<String, CliError> {
    let binary = || {
        CliError::user(format!(
            "stdin looks like binary data ({} bytes), not text",
            bytes.len()
        ))
    };
    if bytes.contains(&0) {
        return Err(binary());
    }
    let text = match String::from_utf8(bytes.clone()) {
        Ok(text) => return Ok(text),
        Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
    };
    let invalid = text.matches('\u{fffd}').count();
    if invalid > 4.max(bytes.len() / 1000) {
        return Err(binary());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_bad_bytes_are_text_and_many_are_binary() {
        let mut text = b"caf\xe9 au lait, password: Lantern42-Blue\n".to_vec();
        assert!(decode(text.clone()).is_ok());
        text.extend(std::iter::repeat_n(0xff, 50));
        assert!(decode(text).is_err());
        assert!(decode(b"a\0b".to_vec()).is_err());
    }
}
