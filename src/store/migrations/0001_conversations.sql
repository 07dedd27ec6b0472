-- 0001: conversations and their messages, so that `pai chat` can resume a session and
-- `pai history` can list, show, export and remove them (issue 4). Times are UTC RFC 3339 text
-- with milliseconds, which sorts correctly as text. Token counts, timings and sources are kept
-- per message so that history can say what each answer cost and what it read.
CREATE TABLE conversations (
    id      INTEGER PRIMARY KEY,
    title   TEXT NOT NULL DEFAULT '',
    model   TEXT,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX conversations_by_updated ON conversations (updated DESC, id DESC);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation     INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    text             TEXT NOT NULL,
    model            TEXT,
    prompt_tokens    INTEGER,
    generated_tokens INTEGER,
    duration_ms      REAL,
    sources_json     TEXT,
    created          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX messages_by_conversation ON messages (conversation, id);
