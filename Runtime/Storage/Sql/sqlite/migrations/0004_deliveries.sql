-- Outbox deliveries to each webhook subscriber: one row per message, updated at every attempt.
CREATE TABLE deliveries (
    subscriber      TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    seq             INTEGER NOT NULL,   -- the message's outbox position
    topic           TEXT    NOT NULL,
    status          TEXT    NOT NULL,   -- pending | delivered | failed
    attempts        INTEGER NOT NULL,
    last_status     INTEGER,            -- HTTP status of the last attempt, if one came back
    last_error      TEXT,
    last_attempt_at INTEGER,            -- Unix time, milliseconds
    next_attempt_at INTEGER,
    delivered_at    INTEGER,
    PRIMARY KEY (subscriber, message_id)
) WITHOUT ROWID;
CREATE INDEX ix_deliveries_seq ON deliveries (subscriber, seq);
