//! The schema's history: numbered SQL files under `migrations/`, embedded in the binary and
//! append-only. Never edit or reorder one that has shipped; add the next number instead, opening
//! with a comment that says why it exists. `PRAGMA user_version` records how many have been
//! applied.
//!
//! Several pai processes may open a fresh database at the same moment (a chat in each of two
//! terminals). Each reads `user_version` without a lock first (the common case: up to date,
//! nothing to do), and otherwise takes the write lock with `BEGIN IMMEDIATE`, reads the version
//! again under that lock, and applies only what is still missing, in the same transaction as
//! the version bump. So a migration runs exactly once, and a crash half-way leaves the old
//! version and none of the new schema.
use rusqlite::{Connection, TransactionBehavior};

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_conversations.sql"),
    include_str!("migrations/0002_message_search.sql"),
    include_str!("migrations/0003_calls.sql"),
    include_str!("migrations/0004_memory.sql"),
    include_str!("migrations/0005_agent.sql"),
];

/// The schema version a fully migrated database has.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error("the database has schema version {found}, newer than this pai knows ({known})")]
    TooNew { found: i64, known: i64 },
    #[error("migration {number} failed: {source}")]
    Failed {
        number: i64,
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The schema version recorded in the database.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the schema up to date; returns how many migrations this call applied.
pub fn migrate(conn: &mut Connection) -> Result<usize, MigrationError> {
    let known = latest();
    let found = version(conn)?;
    if found == known {
        return Ok(0);
    }
    if found > known {
        return Err(MigrationError::TooNew { found, known });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while this one waited for the lock.
    let found = version(&tx)?;
    if found > known {
        return Err(MigrationError::TooNew { found, known });
    }
    let mut applied = 0;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let number = index as i64 + 1;
        tx.execute_batch(sql)
            .map_err(|source| MigrationError::Failed { number, source })?;
        applied += 1;
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |row| row.get(0)).unwrap();
        names.map(Result::unwrap).collect()
    }

    #[test]
    fn every_migration_says_why_it_exists() {
        for (index, sql) in MIGRATIONS.iter().enumerate() {
            let prefix = format!("-- {:04}: ", index + 1);
            assert!(
                sql.starts_with(&prefix),
                "migration {} must open with `{prefix}why`",
                index + 1
            );
        }
    }

    #[test]
    fn a_fresh_database_gets_every_migration_once_and_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(version(&conn).unwrap(), 0);
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len());
        assert_eq!(version(&conn).unwrap(), latest());
        let names = tables(&conn);
        for table in [
            "conversations",
            "messages",
            "messages_fts",
            "calls",
            "memories",
        ] {
            assert!(names.iter().any(|n| n == table), "{table} in {names:?}");
        }
        // Running again is a no-op: nothing applied, nothing changed.
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&conn).unwrap(), latest());
        assert_eq!(tables(&conn), names);
    }

    #[test]
    fn an_old_database_gets_only_what_it_lacks_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO conversations (id, title) VALUES (1, 'old');
             INSERT INTO messages (conversation, role, text) VALUES (1, 'user', 'wireguard keys');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() - 1);
        assert_eq!(version(&conn).unwrap(), latest());
        // 0002 indexed the message that was already there.
        let hits: i64 = conn
            .query_row(
                "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'wireguard'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(hits, 1);
    }

    #[test]
    fn a_database_from_a_newer_pai_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest() + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(MigrationError::TooNew { .. })
        ));
        assert!(tables(&conn).is_empty());
    }

    #[test]
    fn a_failing_migration_leaves_the_old_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        // A table in the way makes 0001 fail half-way through its batch.
        conn.execute_batch("CREATE TABLE messages (x)").unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(MigrationError::Failed { number: 1, .. })
        ));
        assert_eq!(version(&conn).unwrap(), 0);
        assert_eq!(tables(&conn), vec!["messages".to_string()]);
    }
}
