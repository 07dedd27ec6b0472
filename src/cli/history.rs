//! `pai history …`: the conversations the chat saved. Every subcommand opens only the database,
//! and the reading ones do not even create it: without `pai.db` there is simply no history.
//! Stored text came from users and models, so everything printed for a terminal goes through
//! `render::sanitize`; JSON output escapes control characters instead.
use std::io::{Read, Write};
use std::path::PathBuf;

use super::Ctx;
use crate::cli::error::CliError;
use crate::render::{sanitize, sanitize_line};
use crate::store::{export, no_such_conversation, ConversationSummary, Store, StoredMessage};

/// Browse, search, export and remove saved conversations.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    List(ListArgs),
    /// Print a conversation as text, each message under its role.
    Show(IdArg),
    Search(SearchArgs),
    /// Delete a conversation and its messages.
    Rm(IdArg),
    Export(ExportArgs),
    Import(ImportArgs),
}

/// List conversations, most recently updated first.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print a JSON array (id, title, model, created, updated, messages) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many conversations (0: all of them).
    #[arg(short = 'n', long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
}

/// A conversation's number, as `pai history list` shows it.
#[derive(Debug, clap::Args)]
pub struct IdArg {
    /// The conversation's ID.
    pub id: i64,
}

/// Find messages that contain every given word (case and accents ignored; a word also
/// matches the start of a longer one), newest first.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The words to look for.
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
    /// Print a JSON array of {conversation, message} objects.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many messages (0: all of them).
    #[arg(short = 'n', long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Markdown, a heading per message.
    Md,
    /// Every stored field; `pai history import` reads it back.
    Json,
}

/// Print a whole conversation as Markdown or JSON.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The conversation's ID.
    pub id: i64,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
}

/// Add a conversation from a JSON export (a file, or stdin) and print its new ID.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The JSON file that `pai history export --format json` wrote; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::List(args) => list(ctx, args),
        Command::Show(args) => show(ctx, args.id),
        Command::Search(args) => search(ctx, args),
        Command::Rm(args) => remove(ctx, args.id),
        Command::Export(args) => export_conversation(ctx, args),
        Command::Import(args) => import(ctx, args),
    }
}

/// The store if there is one; reading commands never create the database.
pub(super) fn existing(ctx: &Ctx) -> Result<Option<Store>, CliError> {
    let path = ctx.paths.database_file();
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(Store::open(&path)?))
}

/// A conversation and its messages, or the one sentence for a missing ID.
fn conversation(ctx: &Ctx, id: i64) -> Result<(ConversationSummary, Vec<StoredMessage>), CliError> {
    let store = existing(ctx)?.ok_or_else(|| no_such_conversation(id))?;
    let summary = store.summary(id)?.ok_or_else(|| no_such_conversation(id))?;
    let messages = store.messages(id)?;
    Ok((summary, messages))
}

fn limit(n: usize) -> usize {
    if n == 0 {
        usize::MAX
    } else {
        n
    }
}

fn list(ctx: &Ctx, args: &ListArgs) -> Result<(), CliError> {
    let conversations = match existing(ctx)? {
        Some(store) => store.list(limit(args.limit))?,
        None => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", to_json(&conversations))?;
        return Ok(());
    }
    if conversations.is_empty() {
        eprintln!("pai: no conversations yet; `pai chat` saves them here");
        return Ok(());
    }
    writeln!(
        out,
        "{:>5}  {:<16}  {:>4}  {:<16}  TITLE",
        "ID", "UPDATED", "MSGS", "MODEL"
    )?;
    for c in &conversations {
        writeln!(
            out,
            "{:>5}  {:<16}  {:>4}  {:<16}  {}",
            c.id,
            local_time(&c.updated),
            c.messages,
            sanitize_line(c.model.as_deref().unwrap_or("-")),
            title(c)
        )?;
    }
    Ok(())
}

fn show(ctx: &Ctx, id: i64) -> Result<(), CliError> {
    let (summary, messages) = conversation(ctx, id)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", title(&summary))?;
    let mut facts = vec![format!("conversation {}", summary.id)];
    if let Some(model) = &summary.model {
        facts.push(sanitize_line(model));
    }
    facts.push(plural(summary.messages, "message"));
    facts.push(format!("started {}", local_time(&summary.created)));
    writeln!(out, "{}", facts.join(" · "))?;
    for m in &messages {
        writeln!(out)?;
        writeln!(out, "[{}]{}", m.role.as_str(), message_facts(m))?;
        writeln!(out, "{}", sanitize(&m.text).trim_end())?;
        let sources = m.sources_json.as_deref().map(export::source_lines);
        for (n, source) in sources.unwrap_or_default().iter().enumerate() {
            writeln!(out, "  [{}] {}", n + 1, sanitize_line(source))?;
        }
    }
    Ok(())
}

fn search(ctx: &Ctx, args: &SearchArgs) -> Result<(), CliError> {
    let text = args.text.join(" ");
    let hits = match existing(ctx)? {
        Some(store) => store.search(&text, limit(args.limit))?,
        None => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let hits: Vec<serde_json::Value> = hits
            .iter()
            .map(|(c, m)| {
                serde_json::json!({
                    "conversation": c,
                    "message": export::Message::from(m),
                })
            })
            .collect();
        writeln!(out, "{}", to_json(&hits))?;
        return Ok(());
    }
    if hits.is_empty() {
        eprintln!("pai: no message contains {}", sanitize_line(&text));
        return Ok(());
    }
    for (c, m) in &hits {
        writeln!(
            out,
            "#{} {} ({}, {})",
            c.id,
            title(c),
            m.role.as_str(),
            local_time(&m.created)
        )?;
        writeln!(out, "    {}", snippet(&m.text, &text))?;
    }
    Ok(())
}

fn remove(ctx: &Ctx, id: i64) -> Result<(), CliError> {
    let store = existing(ctx)?.ok_or_else(|| no_such_conversation(id))?;
    let summary = store.summary(id)?.ok_or_else(|| no_such_conversation(id))?;
    if !store.remove(id)? {
        // Another process removed it in between.
        return Err(no_such_conversation(id).into());
    }
    eprintln!(
        "pai: removed conversation {id} ({}, {})",
        title(&summary),
        plural(summary.messages, "message")
    );
    Ok(())
}

fn export_conversation(ctx: &Ctx, args: &ExportArgs) -> Result<(), CliError> {
    let (summary, messages) = conversation(ctx, args.id)?;
    let exported = export::Conversation::new(&summary, &messages);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Md => write!(out, "{}", exported.to_markdown())?,
        Format::Json => writeln!(out, "{}", to_json(&exported))?,
    }
    Ok(())
}

fn import(ctx: &Ctx, args: &ImportArgs) -> Result<(), CliError> {
    let (name, text) = match args.file.as_deref().filter(|f| f.as_os_str() != "-") {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| CliError::user(format!("cannot read {}: {e}", file.display())))?;
            (file.display().to_string(), text)
        }
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            ("stdin".to_string(), text)
        }
    };
    let conversation: export::Conversation = serde_json::from_str(&text).map_err(|e| {
        CliError::user(format!(
            "{}: not a conversation export: {e}",
            sanitize_line(&name)
        ))
        .hint("`pai history export ID --format json` writes one")
    })?;
    let store = Store::open(&ctx.paths.database_file())?;
    let id = store.import(&conversation)?;
    writeln!(std::io::stdout().lock(), "{id}")?;
    eprintln!(
        "pai: imported conversation {id} ({})",
        plural(conversation.messages.len() as u32, "message")
    );
    Ok(())
}

/// JSON for stdout: exact text, with the control characters serde_json leaves raw escaped.
pub(super) fn to_json(value: &impl serde::Serialize) -> String {
    crate::render::escape_json(&serde_json::to_string(value).unwrap_or_else(|_| "null".into()))
}

fn title(c: &ConversationSummary) -> String {
    if c.title.is_empty() {
        "(untitled)".to_string()
    } else {
        sanitize_line(&c.title)
    }
}

fn plural(n: u32, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A stored UTC time as local "YYYY-MM-DD HH:MM"; anything unparsable is shown as it is.
pub(super) fn local_time(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => sanitize_line(stored),
    }
}

/// ` (model, prompt+generated tokens, time)` for answers; empty for the rest.
fn message_facts(m: &StoredMessage) -> String {
    let mut facts = Vec::new();
    if let Some(model) = &m.model {
        facts.push(sanitize_line(model));
    }
    match (m.prompt_tokens, m.generated_tokens) {
        (Some(p), Some(g)) => facts.push(format!("{p}+{g} tokens")),
        (None, Some(g)) => facts.push(format!("{g} tokens")),
        _ => {}
    }
    if let Some(ms) = m.duration_ms {
        facts.push(format!("{:.1} s", ms / 1000.0));
    }
    if facts.is_empty() {
        String::new()
    } else {
        format!(" ({})", facts.join(", "))
    }
}

/// One line of the message around the first word of the query that it contains.
fn snippet(text: &str, query: &str) -> String {
    const BEFORE: usize = 30;
    const WIDTH: usize = 100;
    let chars: Vec<char> = sanitize_line(text).chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let at = query
        .split_whitespace()
        .filter_map(|word| {
            let word: Vec<char> = word
                .chars()
                .filter(|c| c.is_alphanumeric())
                .map(fold)
                .collect();
            if word.is_empty() {
                return None;
            }
            lower.windows(word.len()).position(|w| w == word.as_slice())
        })
        .min()
        .unwrap_or(0);
    let start = at.saturating_sub(BEFORE);
    let end = (start + WIDTH).min(chars.len());
    let mut line: String = chars[start..end].iter().collect();
    line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if start > 0 {
        line.insert(0, '…');
    }
    if end < chars.len() {
        line.push('…');
    }
    line
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_center_on_the_first_match() {
        let text = format!(
            "{} the WireGuard keys live in /etc {}",
            "x ".repeat(40),
            "y ".repeat(60)
        );
        let s = snippet(&text, "wireguard");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("WireGuard keys"), "{s}");
        assert_eq!(snippet("short text", "nothing"), "short text");
    }
}
