-- 0004: memories (issue 14): short facts the user asked pai to keep (`pai remember`, `/remember`
-- in the chat, the MCP `remember` tool), which join the prompt of questions they are relevant
-- to. `source` says where a memory came from (cli, chat, mcp). An FTS5 index with external
-- content over the text, kept in step by triggers like 0002's, finds the memories that share
-- words with a question; the Porter stemmer lets "codes" find "code" and "preferred" find
-- "prefer". Forgetting deletes the row; the store then merges the index (`optimize`) so that
-- no trace of the words stays in it.
CREATE TABLE memories (
    id      INTEGER PRIMARY KEY,
    text    TEXT NOT NULL CHECK (length(trim(text)) > 0),
    source  TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE VIRTUAL TABLE memories_fts USING fts5 (
    text,
    content = 'memories',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memories_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER memories_fts_update AFTER UPDATE OF text ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO memories_fts (rowid, text) VALUES (new.id, new.text);
END;
