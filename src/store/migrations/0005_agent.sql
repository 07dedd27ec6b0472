-- 0005: `pai agent` (issue 25). A run is a task and its steps; every model call and every tool
-- call of a run is a row of `agent_steps`, so `pai audit --run ID` can show the run as a
-- transcript: what was asked, what was run with which arguments (as the model sent them), how
-- it was approved (auto, asked, refused), what came back (its size and sha256, not its text),
-- the exit status, the tier, and how long it took. Remote model calls also keep their row in
-- `calls`, which `call` points to. The conversation itself goes into `messages` with its tool
-- calls and tool results, so `messages` is rebuilt to take the role 'tool' (SQLite cannot
-- change a CHECK in place); ids are kept, so the FTS index over it stays valid.
CREATE TABLE agent_runs (
    id           INTEGER PRIMARY KEY,
    created      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    task         TEXT NOT NULL,
    folder       TEXT NOT NULL,
    conversation INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
    outcome      TEXT NOT NULL DEFAULT 'running',
    answer       TEXT,
    ended        TEXT
);

CREATE TABLE agent_steps (
    id            INTEGER PRIMARY KEY,
    run           INTEGER NOT NULL REFERENCES agent_runs (id) ON DELETE CASCADE,
    step          INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('model', 'tool')),
    name          TEXT NOT NULL,
    arguments     TEXT,
    approval      TEXT NOT NULL CHECK (approval IN ('auto', 'asked', 'refused', 'none')),
    outcome       TEXT NOT NULL,
    exit_status   INTEGER,
    result_bytes  INTEGER NOT NULL DEFAULT 0,
    result_sha256 TEXT,
    tier          TEXT NOT NULL,
    call          INTEGER REFERENCES calls (id),
    ms            REAL NOT NULL DEFAULT 0,
    created       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX agent_steps_by_run ON agent_steps (run, id);

CREATE TABLE messages_v5 (
    id               INTEGER PRIMARY KEY,
    conversation     INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    text             TEXT NOT NULL,
    model            TEXT,
    prompt_tokens    INTEGER,
    generated_tokens INTEGER,
    duration_ms      REAL,
    sources_json     TEXT,
    created          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

INSERT INTO messages_v5 SELECT id, conversation, role, text, model, prompt_tokens,
    generated_tokens, duration_ms, sources_json, created FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v5 RENAME TO messages;

CREATE INDEX messages_by_conversation ON messages (conversation, id);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;
