-- When time alone could next change a grain; the scheduler wakes grains whose moment has come.
ALTER TABLE grain_state ADD COLUMN due_at bigint;    -- Unix time, milliseconds; NULL: nothing due
CREATE INDEX ix_grain_state_due ON grain_state (due_at) WHERE due_at IS NOT NULL;

-- Messages out (alerts, tier changes), written in the same transaction as the state change that made them.
-- seq orders them for readers (SSE, webhooks); message_id is stable across redeliveries.
CREATE TABLE outbox (
    seq        bigserial PRIMARY KEY,
    message_id text   NOT NULL UNIQUE,
    topic      text   NOT NULL,      -- alert | tier
    label      text   NOT NULL,      -- alert: severity; tier: scheme
    grain_type text   NOT NULL,
    grain_key  text   NOT NULL,
    created_at bigint NOT NULL,      -- Unix time, milliseconds
    payload    bytea  NOT NULL       -- UTF-8 JSON
);
CREATE INDEX ix_outbox_topic ON outbox (topic, seq);
CREATE INDEX ix_outbox_grain ON outbox (grain_key, topic, seq);

-- Workflow state of a message (an alert acknowledged or resolved): who, when, why.
CREATE TABLE outbox_status (
    message_id      text NOT NULL PRIMARY KEY,
    status          text NOT NULL,    -- acknowledged | resolved
    acknowledged_by text,
    acknowledged_at bigint,
    resolved_by     text,
    resolved_at     bigint,
    note            text
);
