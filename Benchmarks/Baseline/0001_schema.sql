-- The baseline a team would build without actors: one table of customers updated in SQL per event, and the
-- events (for idempotency), each event in its own transaction.
DROP TABLE IF EXISTS baseline_events;
DROP TABLE IF EXISTS baseline_customers;
CREATE TABLE baseline_customers (
    customer_id     text PRIMARY KEY,
    event_count     bigint      NOT NULL,
    spend_12m       numeric     NOT NULL,
    orders_6m       integer     NOT NULL,
    logins_30d      integer     NOT NULL,
    balance         numeric     NOT NULL,
    credit_score    integer,
    membership      text        NOT NULL,
    last_event_at   timestamptz NOT NULL
);
CREATE TABLE baseline_events (
    event_id    text PRIMARY KEY,
    customer_id text        NOT NULL,
    type        text        NOT NULL,
    amount      numeric,
    occurred_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL
);
CREATE INDEX ix_baseline_events_customer ON baseline_events (customer_id, occurred_at);
