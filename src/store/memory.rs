//! Memories: short facts the user asked pai to keep (migration 0004). `pai remember`, the
//! chat's `/remember` and the MCP `remember` tool add them; the context builder asks for the
//! ones that share words with a question (`relevant`), ranked by BM25 over a Porter-stemmed
//! FTS5 index. Forgetting is meant literally: the row goes, the index is merged so that no
//! deleted words stay in its segments, and SQLite overwrites the freed pages.
use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Row};

use super::{db_error, fts_query, now, sql_limit, Store};
use crate::error::Error;

/// The longest memory, in characters. A memory is a fact, not a document: longer text belongs
/// in a note that the index reads.
pub const MAX_CHARS: usize = 4000;

/// Where a memory came from.
pub const CLI: &str = "cli";
pub const CHAT: &str = "chat";
pub const MCP: &str = "mcp";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Memory {
    pub id: i64,
    pub text: String,
    /// UTC, RFC 3339 with milliseconds.
    pub created: String,
    /// cli, chat or mcp.
    pub source: String,
}

/// What `remember` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remembered {
    New(i64),
    /// The same text was already kept under this id; nothing was added.
    Already(i64),
}

impl Remembered {
    pub fn id(self) -> i64 {
        match self {
            Remembered::New(id) | Remembered::Already(id) => id,
        }
    }
}

const COLUMNS: &str = "m.id, m.text, m.created, m.source";

impl Store {
    /// Keeps `text` (trimmed) as a memory from `source`; the same text twice is kept once.
    pub fn remember(&self, text: &str, source: &str) -> Result<Remembered, Error> {
        let text = checked_text(text)?;
        let tx = self.write()?;
        let existing: Option<i64> = tx
            .query_row("SELECT id FROM memories WHERE text = ?1", [text], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| db_error("read memories", e))?;
        if let Some(id) = existing {
            return Ok(Remembered::Already(id));
        }
        tx.execute(
            "INSERT INTO memories (text, source, created) VALUES (?1, ?2, ?3)",
            params![text, source, now()],
        )
        .map_err(|e| db_error("save a memory", e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| db_error("save a memory", e))?;
        Ok(Remembered::New(id))
    }

    /// Every memory, oldest first.
    pub fn memories(&self) -> Result<Vec<Memory>, Error> {
        self.query_memories(
            &format!("SELECT {COLUMNS} FROM memories m ORDER BY m.id"),
            params![],
        )
    }

    pub fn memory(&self, id: i64) -> Result<Option<Memory>, Error> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM memories m WHERE m.id = ?1"),
                [id],
                memory_from_row,
            )
            .optional()
            .map_err(|e| db_error("read a memory", e))
    }

    /// Memories that contain every word of `text` (as `history search` matches messages),
    /// best match first.
    pub fn search_memories(&self, text: &str, limit: usize) -> Result<Vec<Memory>, Error> {
        let query = fts_query(text)
            .ok_or_else(|| Error::user("there is nothing to search for: give at least one word"))?;
        self.matching(&query, limit)
    }

    /// Memories that share words with the question, the ones that share the most first
    /// (BM25 breaks ties, so rarer shared words count for more). A memory that shares fewer
    /// than half as many words as the best one is left out: one common word in passing
    /// ("code", "work") does not make a fact relevant when another fact matches well. Words
    /// are compared stemmed, and never read as FTS5 syntax; the caller leaves out words that
    /// say nothing (stop words).
    pub fn relevant_memories(&self, words: &[&str], limit: usize) -> Result<Vec<Memory>, Error> {
        let terms: Vec<String> = words
            .iter()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let shared = self.words_shared(&terms)?;
        let best = shared.values().copied().max().unwrap_or(0);
        let mut found = self.matching(&terms.join(" OR "), usize::MAX)?;
        found.retain(|m| 2 * shared[&m.id] >= best);
        // Stable: within the same count, BM25's order stays.
        found.sort_by_key(|m| std::cmp::Reverse(shared[&m.id]));
        found.truncate(limit);
        Ok(found)
    }

    /// How many of the FTS5 `terms` each memory that has any of them contains.
    fn words_shared(&self, terms: &[String]) -> Result<HashMap<i64, usize>, Error> {
        let count = || -> rusqlite::Result<HashMap<i64, usize>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT rowid FROM memories_fts WHERE memories_fts MATCH ?1")?;
            let mut shared = HashMap::new();
            for term in terms {
                for id in stmt.query_map([term], |row| row.get::<_, i64>(0))? {
                    *shared.entry(id?).or_insert(0) += 1;
                }
            }
            Ok(shared)
        };
        count().map_err(|e| db_error("read memories", e))
    }

    fn matching(&self, query: &str, limit: usize) -> Result<Vec<Memory>, Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM memories_fts f JOIN memories m ON m.id = f.rowid
             WHERE memories_fts MATCH ?1 ORDER BY f.rank, m.id DESC LIMIT ?2"
        );
        self.query_memories(&sql, params![query, sql_limit(limit)])
    }

    fn query_memories(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Memory>, Error> {
        let read = || -> rusqlite::Result<Vec<Memory>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params, memory_from_row)?;
            rows.collect()
        };
        read().map_err(|e| db_error("read memories", e))
    }

    /// Replaces a memory's text; false when there is no such memory.
    pub fn edit_memory(&self, id: i64, text: &str) -> Result<bool, Error> {
        let text = checked_text(text)?;
        let tx = self.write()?;
        let changed = tx
            .execute(
                "UPDATE memories SET text = ?2 WHERE id = ?1",
                params![id, text],
            )
            .map_err(|e| db_error("change a memory", e))?;
        tx.commit().map_err(|e| db_error("change a memory", e))?;
        Ok(changed > 0)
    }

    /// Deletes a memory, leaving no copy of its words in the index or in freed pages; false
    /// when there is no such memory.
    pub fn forget(&self, id: i64) -> Result<bool, Error> {
        // Freed pages are zeroed from now on, on this connection.
        self.conn
            .pragma_update(None, "secure_delete", true)
            .map_err(|e| db_error("forget a memory", e))?;
        let tx = self.write()?;
        let removed = tx
            .execute("DELETE FROM memories WHERE id = ?1", [id])
            .map_err(|e| db_error("forget a memory", e))?;
        if removed > 0 {
            // An FTS5 delete only marks the entry; merging the segments drops it.
            tx.execute(
                "INSERT INTO memories_fts (memories_fts) VALUES ('optimize')",
                [],
            )
            .map_err(|e| db_error("forget a memory", e))?;
        }
        tx.commit().map_err(|e| db_error("forget a memory", e))?;
        if removed > 0 {
            // The write-ahead log still holds the old pages until a checkpoint copies the
            // new ones over them and empties it.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(removed > 0)
    }
}

/// The sentence for a memory ID that is not there, the same for every command.
pub fn no_such_memory(id: i64) -> Error {
    Error::user(format!("there is no memory {id}")).hint("see `pai memory list`")
}

/// The text as kept: trimmed, not empty, not too long.
fn checked_text(text: &str) -> Result<&str, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(
            Error::user("there is nothing to remember: the text is empty").hint(
                "pai remember \"my locker code is 4417\", or pipe it: echo … | pai remember -",
            ),
        );
    }
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(Error::user(format!(
            "a memory is at most {MAX_CHARS} characters; this one has {chars}"
        ))
        .hint("keep longer text in a note and index it with `pai index add`"));
    }
    Ok(text)
}

fn memory_from_row(row: &Row) -> rusqlite::Result<Memory> {
    Ok(Memory {
        id: row.get(0)?,
        text: row.get(1)?,
        created: row.get(2)?,
        source: row.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remember_search_edit_and_forget() {
        let store = Store::open_in_memory().unwrap();
        let a = store
            .remember("  My locker code at the gym is 4417. ", CLI)
            .unwrap();
        let b = store.remember("I prefer tabs over spaces", CHAT).unwrap();
        assert!(matches!(a, Remembered::New(_)));
        assert_eq!(
            store
                .remember("My locker code at the gym is 4417.", MCP)
                .unwrap(),
            Remembered::Already(a.id())
        );
        let all = store.memories().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].text, "My locker code at the gym is 4417.");
        assert_eq!(
            (all[0].source.as_str(), all[1].source.as_str()),
            (CLI, CHAT)
        );

        // Stemmed: "codes" finds "code"; one shared word is enough when no memory shares more.
        let found = store.relevant_memories(&["codes", "tabs"], 5).unwrap();
        assert_eq!(found.len(), 2);
        // A memory that shares a third of the words the best one shares is left out.
        let c = store.remember("My python code uses tabs", CLI).unwrap();
        let d = store.remember("I write code daily", CLI).unwrap();
        let found = store
            .relevant_memories(&["locker", "code", "gym", "python"], 5)
            .unwrap();
        let ids: Vec<i64> = found.iter().map(|m| m.id).collect();
        assert_eq!(ids, [a.id(), c.id()], "3 words, then 2 of them; not 1");
        assert!(store.forget(c.id()).unwrap() && store.forget(d.id()).unwrap());
        assert!(store
            .relevant_memories(&["wireguard"], 5)
            .unwrap()
            .is_empty());
        assert!(store.relevant_memories(&["\"", "*"], 5).unwrap().is_empty());
        assert_eq!(store.search_memories("lock gym", 10).unwrap()[0].id, a.id());
        assert!(store
            .search_memories("locker spaces", 10)
            .unwrap()
            .is_empty());

        assert!(store.edit_memory(b.id(), "I prefer spaces now").unwrap());
        assert!(store.relevant_memories(&["tabs"], 5).unwrap().is_empty());
        assert_eq!(
            store.relevant_memories(&["spaces"], 5).unwrap()[0].id,
            b.id()
        );
        assert!(!store.edit_memory(99, "x").unwrap());

        assert!(store.forget(a.id()).unwrap());
        assert!(!store.forget(a.id()).unwrap());
        assert_eq!(store.memory(a.id()).unwrap(), None);
        assert!(store.relevant_memories(&["locker"], 5).unwrap().is_empty());
    }

    #[test]
    fn empty_and_oversized_text_is_refused() {
        let store = Store::open_in_memory().unwrap();
        for text in ["", "  \n\t "] {
            let err = store.remember(text, CLI).unwrap_err();
            assert!(err.message.contains("empty"), "{}", err.message);
        }
        let err = store.remember(&"x".repeat(MAX_CHARS + 1), CLI).unwrap_err();
        assert!(err.message.contains("at most"), "{}", err.message);
        let id = store.remember("fact", CLI).unwrap().id();
        assert!(store.edit_memory(id, " ").is_err());
        assert_eq!(store.memory(id).unwrap().unwrap().text, "fact");
    }
}
