-- The API's clients (one row per key) with their running accounting, and every authenticated
-- request's outcome. A request's accounting and its log line are written in one transaction.
CREATE TABLE client (
    name            TEXT PRIMARY KEY,
    key_hash        TEXT NOT NULL UNIQUE,      -- SHA-256 of the key, hex; the key itself is never stored
    owner           INTEGER NOT NULL DEFAULT 0, -- 1: may read every client's accounting
    budget          INTEGER NOT NULL,          -- images this key may have answered in all
    rate_per_minute INTEGER NOT NULL,          -- images per minute, 0: no limit
    created_at      TEXT NOT NULL,
    answered        INTEGER NOT NULL DEFAULT 0, -- images answered (queries)
    refused         INTEGER NOT NULL DEFAULT 0, -- images refused for the budget or the rate
    denied          INTEGER NOT NULL DEFAULT 0, -- images a defence refused
    flagged         INTEGER NOT NULL DEFAULT 0, -- answered images a defence flagged
    pow_hashes      REAL NOT NULL DEFAULT 0,    -- expected hashes of the proofs of work it paid (images x 2^bits)
    pow_max_bits    INTEGER NOT NULL DEFAULT 0,
    compute_seconds REAL NOT NULL DEFAULT 0,    -- the victim's time answering it
    blocked_reason  TEXT,                       -- a defence flagged the client for good: refused from then on
    blocked_at      TEXT
);

CREATE TABLE request (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    client   TEXT NOT NULL REFERENCES client (name),
    images   INTEGER NOT NULL,
    outcome  TEXT NOT NULL,  -- answered, budget, rate, denied, blocked
    status   INTEGER NOT NULL,
    detail   TEXT
);

CREATE INDEX request_client ON request (client, id);
