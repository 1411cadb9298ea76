-- Grain state: one row per grain, version-checked on every write.
CREATE TABLE grain_state (
    grain_type   TEXT    NOT NULL,
    grain_key    TEXT    NOT NULL,
    partition_id INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    payload      BLOB    NOT NULL,   -- UTF-8 JSON
    updated_at   INTEGER NOT NULL,   -- Unix time, milliseconds
    PRIMARY KEY (grain_type, grain_key)
) WITHOUT ROWID;

CREATE INDEX ix_grain_state_partition ON grain_state (partition_id, grain_type);

-- Append-only journals per grain, one per stream (a customer's accepted events; its decision changes).
-- entry_id is unique per grain and stream: idempotency.
CREATE TABLE grain_journal (
    grain_type  TEXT    NOT NULL,
    grain_key   TEXT    NOT NULL,
    stream      TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    entry_id    TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,    -- Unix time, milliseconds
    payload     BLOB    NOT NULL,    -- UTF-8 JSON
    PRIMARY KEY (grain_type, grain_key, stream, seq)
) WITHOUT ROWID;

CREATE UNIQUE INDEX ux_grain_journal_entry ON grain_journal (grain_type, grain_key, stream, entry_id);
