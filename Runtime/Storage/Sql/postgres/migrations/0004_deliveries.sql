-- Outbox deliveries to each webhook subscriber: one row per message, updated at every attempt.
CREATE TABLE deliveries (
    subscriber      text    NOT NULL,
    message_id      text    NOT NULL,
    seq             bigint  NOT NULL,   -- the message's outbox position
    topic           text    NOT NULL,
    status          text    NOT NULL,   -- pending | delivered | failed
    attempts        integer NOT NULL,
    last_status     integer,            -- HTTP status of the last attempt, if one came back
    last_error      text,
    last_attempt_at bigint,             -- Unix time, milliseconds
    next_attempt_at bigint,
    delivered_at    bigint,
    PRIMARY KEY (subscriber, message_id)
);
CREATE INDEX ix_deliveries_seq ON deliveries (subscriber, seq);
