-- How far each broker publisher has published the outbox: every message up to seq is confirmed by the broker.
CREATE TABLE publish_cursors (
    publisher  TEXT    NOT NULL PRIMARY KEY,
    seq        INTEGER NOT NULL,
    updated_at INTEGER NOT NULL   -- Unix time, milliseconds
) WITHOUT ROWID;
