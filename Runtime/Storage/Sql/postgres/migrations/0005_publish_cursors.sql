-- How far each broker publisher has published the outbox: every message up to seq is confirmed by the broker.
CREATE TABLE publish_cursors (
    publisher  text   NOT NULL PRIMARY KEY,
    seq        bigint NOT NULL,
    updated_at bigint NOT NULL   -- Unix time, milliseconds
);
