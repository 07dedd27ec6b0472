//! The store: conversations and their messages in SQLite (`pai.db` in the data dir), the
//! audit log of routed requests (`calls.rs`), and the facts the user asked pai to remember
//! (`memory.rs`). It owns the schema (`migrations.rs`), the
//! connection settings that make several pai processes safe on one file (WAL, a busy timeout,
//! every write in an IMMEDIATE transaction), and the queries that the chat, `pai history`,
//! `pai audit` and `pai stats` use. Nothing here prints; text comes back exactly as stored, so
//! the caller sanitizes it for a terminal.
pub mod agent;
pub mod calls;
pub mod export;
pub mod memory;
pub mod migrations;

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::error::Error;
use crate::message::Role;

/// How long a writer waits for another pai process before giving up. Writes are a few
/// milliseconds each, so this is only reached when something holds the file for real.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Titles are the first user message, cut on a word boundary to about this many characters.
pub const TITLE_CHARS: usize = 60;

pub struct Store {
    conn: Connection,
}

/// A message to append. Token counts, timing and sources are what the engine and the context
/// builder reported for an answer; user messages leave them `None`.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub role: Role,
    pub text: &'a str,
    pub model: Option<&'a str>,
    pub prompt_tokens: Option<u32>,
    pub generated_tokens: Option<u32>,
    pub duration_ms: Option<f64>,
    pub sources_json: Option<&'a str>,
}

impl<'a> NewMessage<'a> {
    /// A message with only a role and text.
    pub fn new(role: Role, text: &'a str) -> Self {
        Self {
            role,
            text,
            model: None,
            prompt_tokens: None,
            generated_tokens: None,
            duration_ms: None,
            sources_json: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredMessage {
    pub id: i64,
    pub role: Role,
    pub text: String,
    pub model: Option<String>,
    pub prompt_tokens: Option<u32>,
    pub generated_tokens: Option<u32>,
    pub duration_ms: Option<f64>,
    pub sources_json: Option<String>,
    /// UTC, RFC 3339 with milliseconds: `2026-11-25T13:47:30.123Z`.
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConversationSummary {
    pub id: i64,
    /// Empty until the first user message arrives.
    pub title: String,
    pub model: Option<String>,
    pub created: String,
    pub updated: String,
    pub messages: u32,
}

/// The columns `summary_from_row` reads, for a query over `conversations c`.
const SUMMARY_COLUMNS: &str = "c.id, c.title, c.model, c.created, c.updated, \
     (SELECT count(*) FROM messages WHERE conversation = c.id)";

/// Newest first. `updated` has millisecond resolution; within one millisecond the conversation
/// with the later message wins, then the later conversation.
const NEWEST_FIRST: &str = "c.updated DESC, \
     (SELECT max(id) FROM messages WHERE conversation = c.id) DESC, c.id DESC";

const MESSAGE_COLUMNS: &str = "m.id, m.role, m.text, m.model, m.prompt_tokens, \
     m.generated_tokens, m.duration_ms, m.sources_json, m.created";

impl Store {
    /// Opens (creating it, mode 0600, and its folder if need be) and migrates the database.
    pub fn open(path: &Path) -> Result<Store, Error> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::user(format!("cannot create {}: {e}", parent.display())))?;
        }
        create_private(path)
            .map_err(|e| Error::user(format!("cannot create {}: {e}", path.display())))?;
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        Self::setup(conn).map_err(|e| e.context(path))
    }

    /// A database that lives and dies with this value, for tests.
    pub fn open_in_memory() -> Result<Store, Error> {
        let conn = Connection::open_in_memory().map_err(|e| db_error("open", e))?;
        Self::setup(conn).map_err(|e| e.context(Path::new(":memory:")))
    }

    fn setup(mut conn: Connection) -> Result<Store, SetupError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        set_wal(&conn)?;
        // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// The connection, for tests and checks that need plain SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn new_conversation(&self, model: Option<&str>) -> Result<i64, Error> {
        let now = now();
        self.conn
            .execute(
                "INSERT INTO conversations (model, created, updated) VALUES (?1, ?2, ?2)",
                params![model, now],
            )
            .map_err(|e| db_error("create a conversation", e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Appends a message, bumps the conversation's `updated`, and titles the conversation
    /// after its first user message. One transaction: a reader sees all of it or none.
    pub fn add_message(&self, conversation: i64, message: &NewMessage) -> Result<i64, Error> {
        let tx = self.write()?;
        let id = insert_message(&tx, conversation, message, &now())?;
        tx.commit().map_err(|e| db_error("save a message", e))?;
        Ok(id)
    }

    /// A whole conversation in one transaction, with its own timestamps (`pai history import`).
    pub fn import(&self, conversation: &export::Conversation) -> Result<i64, Error> {
        let tx = self.write()?;
        let now = now();
        let created = conversation.created.as_deref().unwrap_or(&now);
        tx.execute(
            "INSERT INTO conversations (model, title, created, updated) VALUES (?1, '', ?2, ?2)",
            params![conversation.model, created],
        )
        .map_err(|e| db_error("import a conversation", e))?;
        let id = tx.last_insert_rowid();
        for m in &conversation.messages {
            let sources = m.sources.as_ref().filter(|s| !s.is_null()).map(|s| {
                // A string is what `export` writes for sources that were not valid JSON.
                match s {
                    serde_json::Value::String(raw) => raw.clone(),
                    other => other.to_string(),
                }
            });
            let message = NewMessage {
                role: m.role,
                text: &m.text,
                model: m.model.as_deref(),
                prompt_tokens: m.prompt_tokens,
                generated_tokens: m.generated_tokens,
                duration_ms: m.duration_ms,
                sources_json: sources.as_deref(),
            };
            insert_message(&tx, id, &message, m.created.as_deref().unwrap_or(&now))?;
        }
        // The exported title and `updated` win over what the messages imply.
        tx.execute(
            "UPDATE conversations SET title = coalesce(?2, title), updated = coalesce(?3, updated)
             WHERE id = ?1",
            params![id, conversation.title, conversation.updated],
        )
        .map_err(|e| db_error("import a conversation", e))?;
        tx.commit()
            .map_err(|e| db_error("import a conversation", e))?;
        Ok(id)
    }

    /// The conversation's messages, oldest first; empty when there is no such conversation.
    pub fn messages(&self, conversation: i64) -> Result<Vec<StoredMessage>, Error> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.conversation = ?1 ORDER BY m.id"
        );
        let read = || -> rusqlite::Result<Vec<StoredMessage>> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([conversation], |row| message_from_row(row, 0))?;
            rows.collect()
        };
        read().map_err(|e| db_error("read messages", e))
    }

    pub fn summary(&self, conversation: i64) -> Result<Option<ConversationSummary>, Error> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM conversations c WHERE c.id = ?1");
        self.conn
            .query_row(&sql, [conversation], |row| summary_from_row(row, 0))
            .optional()
            .map_err(|e| db_error("read a conversation", e))
    }

    /// Conversations, most recently updated first; `usize::MAX` for all of them.
    pub fn list(&self, limit: usize) -> Result<Vec<ConversationSummary>, Error> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM conversations c ORDER BY {NEWEST_FIRST} LIMIT ?1"
        );
        let read = || -> rusqlite::Result<Vec<ConversationSummary>> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([sql_limit(limit)], |row| summary_from_row(row, 0))?;
            rows.collect()
        };
        read().map_err(|e| db_error("list conversations", e))
    }

    /// The most recently updated conversation, which `pai chat --continue` resumes.
    pub fn latest(&self) -> Result<Option<i64>, Error> {
        let sql = format!("SELECT c.id FROM conversations c ORDER BY {NEWEST_FIRST} LIMIT 1");
        self.conn
            .query_row(&sql, [], |row| row.get(0))
            .optional()
            .map_err(|e| db_error("find the latest conversation", e))
    }

    /// Messages that contain every word of `text` (case and accents ignored; each word also
    /// matches as the start of a longer one), newest first, with their conversations.
    pub fn search(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<(ConversationSummary, StoredMessage)>, Error> {
        let query = fts_query(text)
            .ok_or_else(|| Error::user("there is nothing to search for: give at least one word"))?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {MESSAGE_COLUMNS}
             FROM messages_fts f
             JOIN messages m ON m.id = f.rowid
             JOIN conversations c ON c.id = m.conversation
             WHERE messages_fts MATCH ?1
             ORDER BY m.id DESC
             LIMIT ?2"
        );
        let read = || -> rusqlite::Result<Vec<(ConversationSummary, StoredMessage)>> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![query, sql_limit(limit)], |row| {
                Ok((summary_from_row(row, 0)?, message_from_row(row, 6)?))
            })?;
            rows.collect()
        };
        read().map_err(|e| db_error("search messages", e))
    }

    /// Deletes a conversation and its messages; false when there was no such conversation.
    pub fn remove(&self, conversation: i64) -> Result<bool, Error> {
        let tx = self.write()?;
        let remove = || -> rusqlite::Result<usize> {
            // Messages first and explicitly, so the search index triggers see every row.
            tx.execute(
                "DELETE FROM messages WHERE conversation = ?1",
                [conversation],
            )?;
            tx.execute("DELETE FROM conversations WHERE id = ?1", [conversation])
        };
        let removed = remove().map_err(|e| db_error("remove a conversation", e))?;
        tx.commit()
            .map_err(|e| db_error("remove a conversation", e))?;
        Ok(removed > 0)
    }

    /// A write transaction that holds the write lock from its first statement, so that it never
    /// has to upgrade a read lock (which fails at once with SQLITE_BUSY in WAL mode instead of
    /// waiting for the busy timeout).
    fn write(&self) -> Result<Transaction<'_>, Error> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| db_error("start a write", e))
    }
}

fn insert_message(
    tx: &Transaction,
    conversation: i64,
    message: &NewMessage,
    created: &str,
) -> Result<i64, Error> {
    let title = match message.role {
        Role::User => title_from(message.text),
        _ => String::new(),
    };
    let updated = tx
        .execute(
            "UPDATE conversations
             SET updated = max(updated, ?2), title = CASE WHEN title = '' THEN ?3 ELSE title END
             WHERE id = ?1",
            params![conversation, created, title],
        )
        .map_err(|e| db_error("save a message", e))?;
    if updated == 0 {
        return Err(no_such_conversation(conversation));
    }
    tx.execute(
        "INSERT INTO messages (conversation, role, text, model, prompt_tokens, generated_tokens,
                               duration_ms, sources_json, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            conversation,
            message.role.as_str(),
            message.text,
            message.model,
            message.prompt_tokens,
            message.generated_tokens,
            message.duration_ms,
            message.sources_json,
            created,
        ],
    )
    .map_err(|e| db_error("save a message", e))?;
    Ok(tx.last_insert_rowid())
}

/// The sentence for an ID that is not there, the same for every command.
pub fn no_such_conversation(id: i64) -> Error {
    Error::user(format!("there is no conversation {id}")).hint("see `pai history list`")
}

/// A title from the first user message: one line, at most `TITLE_CHARS` characters plus an
/// ellipsis, cut between words unless the first word alone is too long.
pub fn title_from(text: &str) -> String {
    let clean = crate::render::sanitize_line(text);
    let mut title = String::new();
    let mut chars = 0;
    for word in clean.split_whitespace() {
        let len = word.chars().count();
        let sep = usize::from(chars > 0);
        if chars + sep + len > TITLE_CHARS {
            if chars == 0 {
                title = word.chars().take(TITLE_CHARS).collect();
            }
            title.push('…');
            return title;
        }
        if sep == 1 {
            title.push(' ');
        }
        title.push_str(word);
        chars += sep + len;
    }
    title
}

/// An FTS5 query that matches messages containing every word: each word becomes a quoted
/// string (so `AND`, `*`, `:` and quotes are only text) with a prefix match. None when no word
/// has a letter or digit.
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

fn sql_limit(limit: usize) -> i64 {
    // SQLite reads a negative LIMIT as "no limit".
    i64::try_from(limit).unwrap_or(-1)
}

fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// A time as the store writes it: UTC, RFC 3339 with milliseconds, which sorts as text.
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn summary_from_row(row: &Row, at: usize) -> rusqlite::Result<ConversationSummary> {
    Ok(ConversationSummary {
        id: row.get(at)?,
        title: row.get(at + 1)?,
        model: row.get(at + 2)?,
        created: row.get(at + 3)?,
        updated: row.get(at + 4)?,
        messages: row.get(at + 5)?,
    })
}

fn message_from_row(row: &Row, at: usize) -> rusqlite::Result<StoredMessage> {
    let role: String = row.get(at + 1)?;
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            at + 1,
            rusqlite::types::Type::Text,
            format!("unknown role '{role}'").into(),
        )
    })?;
    Ok(StoredMessage {
        id: row.get(at)?,
        role,
        text: row.get(at + 2)?,
        model: row.get(at + 3)?,
        prompt_tokens: row.get(at + 4)?,
        generated_tokens: row.get(at + 5)?,
        duration_ms: row.get(at + 6)?,
        sources_json: row.get(at + 7)?,
        created: row.get(at + 8)?,
    })
}

/// Creates the file with mode 0600 before SQLite does (SQLite would use 0644). SQLite gives
/// its -wal and -shm files the same mode as the database.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Switches to WAL, which lets readers and one writer work at once and survives concurrent
/// processes. The switch needs an exclusive lock; on a fresh file that another process is
/// creating at the same moment it can report busy without waiting, so retry until the timeout.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let start = Instant::now();
    loop {
        match conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        {
            Ok(_) => return Ok(()),
            Err(e) if is_busy(&e) && start.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// What went wrong while opening, before it is tied to a path.
#[derive(Debug, thiserror::Error)]
enum SetupError {
    #[error(transparent)]
    Migration(#[from] migrations::MigrationError),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl SetupError {
    fn context(self, path: &Path) -> Error {
        match self {
            SetupError::Migration(e @ migrations::MigrationError::TooNew { .. }) => {
                Error::user(format!("{}: {e}", path.display()))
                    .hint("use a newer pai, or move the file away to start a fresh history")
            }
            SetupError::Migration(e) => {
                Error::internal(format!("cannot update {}: {e}", path.display()))
            }
            SetupError::Sqlite(e) => open_error(path, e),
        }
    }
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    let shown = path.display();
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::user(format!("{shown} is not a pai database (or it is damaged)"))
                .hint("move the file away and pai starts a fresh history")
        }
        _ => db_error(&format!("open {shown}"), e),
    }
}

fn db_error(doing: &str, e: rusqlite::Error) -> Error {
    if is_busy(&e) {
        return Error::user(format!(
            "cannot {doing}: the database stayed locked by another process for {} s",
            BUSY_TIMEOUT.as_secs()
        ))
        .hint("another pai may be stuck; see `ps` or try again");
    }
    Error::internal(format!("cannot {doing}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> NewMessage<'_> {
        NewMessage::new(Role::User, text)
    }

    #[test]
    fn titles_cut_between_words() {
        assert_eq!(
            title_from("  how do I\nrotate logs?  "),
            "how do I rotate logs?"
        );
        let long = "how do I rotate the nginx logs that we set up last week on the staging box";
        let title = title_from(long);
        assert_eq!(
            title,
            "how do I rotate the nginx logs that we set up last week on…"
        );
        assert!(title.chars().count() <= TITLE_CHARS + 1);
        assert_eq!(
            title_from(&"x".repeat(100)).chars().count(),
            TITLE_CHARS + 1
        );
        assert_eq!(title_from("a\x1b[31mred"), "a[31mred");
        assert_eq!(title_from(""), "");
    }

    #[test]
    fn search_words_are_text_not_syntax() {
        assert_eq!(fts_query("nginx logs").unwrap(), "\"nginx\"* \"logs\"*");
        assert_eq!(fts_query("say \"hi\"").unwrap(), "\"say\"* \"\"\"hi\"\"\"*");
        assert_eq!(fts_query("  * - : "), None);
        let store = Store::open_in_memory().unwrap();
        let c = store.new_conversation(None).unwrap();
        store
            .add_message(c, &user("NEAR(a b) AND OR * \"x"))
            .unwrap();
        for q in ["NEAR(a", "AND", "OR x", "\"x", "b)"] {
            assert_eq!(store.search(q, 10).unwrap().len(), 1, "{q}");
        }
    }

    #[test]
    fn a_conversation_round_trip() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.latest().unwrap(), None);
        let c = store.new_conversation(Some("smol")).unwrap();
        let empty = store.summary(c).unwrap().unwrap();
        assert_eq!((empty.title.as_str(), empty.messages), ("", 0));

        store
            .add_message(c, &NewMessage::new(Role::System, "be brief"))
            .unwrap();
        store.add_message(c, &user("What is WireGuard?")).unwrap();
        let answer = NewMessage {
            model: Some("smol"),
            prompt_tokens: Some(12),
            generated_tokens: Some(7),
            duration_ms: Some(81.5),
            sources_json: Some(r#"[{"path":"notes/wg.md"}]"#),
            ..NewMessage::new(Role::Assistant, "A VPN.")
        };
        let id = store.add_message(c, &answer).unwrap();
        store.add_message(c, &user("And Tailscale?")).unwrap();

        let summary = store.summary(c).unwrap().unwrap();
        assert_eq!(
            summary.title, "What is WireGuard?",
            "the first user message"
        );
        assert_eq!(summary.messages, 4);
        assert_eq!(summary.model.as_deref(), Some("smol"));
        assert!(summary.updated >= summary.created);

        let messages = store.messages(c).unwrap();
        let roles: Vec<Role> = messages.iter().map(|m| m.role).collect();
        assert_eq!(
            roles,
            [Role::System, Role::User, Role::Assistant, Role::User]
        );
        let stored = &messages[2];
        assert_eq!(stored.id, id);
        assert_eq!(stored.text, "A VPN.");
        assert_eq!(stored.prompt_tokens, Some(12));
        assert_eq!(stored.generated_tokens, Some(7));
        assert_eq!(stored.duration_ms, Some(81.5));
        assert_eq!(
            stored.sources_json.as_deref(),
            Some(r#"[{"path":"notes/wg.md"}]"#)
        );
        assert!(stored.created.ends_with('Z') && stored.created.contains('T'));

        let hits = store.search("wireguard", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0.id, c);
        assert_eq!(hits[0].1.text, "What is WireGuard?");
        assert_eq!(store.search("wire", 10).unwrap().len(), 1, "prefixes match");
        assert!(store.search("wireguard vpn", 10).unwrap().is_empty());

        assert!(store.remove(c).unwrap());
        assert!(!store.remove(c).unwrap());
        assert_eq!(store.summary(c).unwrap(), None);
        assert!(store.messages(c).unwrap().is_empty());
        assert!(store.search("wireguard", 10).unwrap().is_empty());
    }

    #[test]
    fn a_message_for_a_missing_conversation_is_refused() {
        let store = Store::open_in_memory().unwrap();
        let err = store.add_message(42, &user("hi")).unwrap_err();
        assert_eq!(err.message, "there is no conversation 42");
    }

    #[test]
    fn newest_first_even_within_one_millisecond() {
        let store = Store::open_in_memory().unwrap();
        let a = store.new_conversation(None).unwrap();
        store.add_message(a, &user("a")).unwrap();
        let b = store.new_conversation(None).unwrap();
        store.add_message(b, &user("b")).unwrap();
        let ids = |s: &Store| s.list(10).unwrap().iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(&store), [b, a]);
        store.add_message(a, &user("a again")).unwrap();
        assert_eq!(ids(&store), [a, b]);
        assert_eq!(store.latest().unwrap(), Some(a));
        assert_eq!(store.list(1).unwrap().len(), 1);
        assert_eq!(store.list(usize::MAX).unwrap().len(), 2);
    }
}
