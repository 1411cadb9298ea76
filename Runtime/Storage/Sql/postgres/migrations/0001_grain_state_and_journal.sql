-- Grain state: one row per grain, version-checked on every write.
CREATE TABLE grain_state (
    grain_type   text    NOT NULL,
    grain_key    text    NOT NULL,
    partition_id integer NOT NULL,
    version      bigint  NOT NULL,
    payload      bytea   NOT NULL,   -- UTF-8 JSON
    updated_at   bigint  NOT NULL,   -- Unix time, milliseconds
    PRIMARY KEY (grain_type, grain_key)
);

CREATE INDEX ix_grain_state_partition ON grain_state (partition_id, grain_type);

-- Append-only journals per grain, one per stream (a customer's accepted events; its decision changes).
-- entry_id is unique per grain and stream: idempotency.
CREATE TABLE grain_journal (
    grain_type  text   NOT NULL,
    grain_key   text   NOT NULL,
    stream      text   NOT NULL,
    seq         bigint NOT NULL,
    entry_id    text   NOT NULL,
    recorded_at bigint NOT NULL,     -- Unix time, milliseconds
    payload     bytea  NOT NULL,     -- UTF-8 JSON
    PRIMARY KEY (grain_type, grain_key, stream, seq)
);

CREATE UNIQUE INDEX ux_grain_journal_entry ON grain_journal (grain_type, grain_key, stream, entry_id);
