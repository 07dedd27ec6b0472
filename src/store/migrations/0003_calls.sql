-- 0003: the audit log and usage figures (issue 12). One row per request the router handled,
-- local ones too, so that `pai stats` can give the share answered on this machine and what that
-- avoided, and `pai audit` can show every call that left it: where it went, the model, tokens,
-- the cost at the prices configured when it was made (kept, since prices change), how many
-- secrets were redacted, and a sha256 of what was sent. The payload itself is kept only with
-- `[router] audit_payloads = true`.
--
-- `tier` is where the request was sent: for 'fallback' (a remote tier failed and the local model
-- answered) it is the remote tier, since the payload did leave; for 'escalated' (the local model
-- started, was unsure, a remote tier answered) it is the remote tier, and `local_tokens` says how
-- far the local model got. Local rows have no endpoint, hash or payload.
CREATE TABLE calls (
    id             INTEGER PRIMARY KEY,
    created        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    front          TEXT NOT NULL,
    tier           TEXT NOT NULL CHECK (tier IN ('local', 'medium', 'large')),
    reason         TEXT NOT NULL DEFAULT '',
    endpoint       TEXT,
    model          TEXT NOT NULL,
    tokens_in      INTEGER NOT NULL DEFAULT 0,
    tokens_out     INTEGER NOT NULL DEFAULT 0,
    cost_usd       REAL NOT NULL DEFAULT 0,
    avoided_usd    REAL NOT NULL DEFAULT 0,
    redactions     INTEGER NOT NULL DEFAULT 0,
    payload_sha256 TEXT,
    payload        TEXT,
    outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'fallback', 'escalated')),
    local_tokens   INTEGER NOT NULL DEFAULT 0
);

-- Sums over a time range for one tier (the month's spend against its budget).
CREATE INDEX calls_by_tier_created ON calls (tier, created);
-- Sums over a time range for every tier (`pai stats`), and the newest calls (`pai audit`).
CREATE INDEX calls_by_created ON calls (created, id);
