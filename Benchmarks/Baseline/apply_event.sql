-- One event: recorded once (by id), then the customer's aggregates and membership tier updated in SQL.
WITH inserted AS (
    INSERT INTO baseline_events (event_id, customer_id, type, amount, occurred_at, payload)
    VALUES (@event_id, @customer_id, @type, @amount, @occurred_at, @payload::jsonb)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING customer_id
)
INSERT INTO baseline_customers AS c (customer_id, event_count, spend_12m, orders_6m, logins_30d, balance, credit_score, membership, last_event_at)
SELECT @customer_id, 1,
       CASE WHEN @type = 'purchase' THEN @amount ELSE 0 END,
       CASE WHEN @type = 'purchase' THEN 1 ELSE 0 END,
       CASE WHEN @type = 'login' THEN 1 ELSE 0 END,
       CASE @type WHEN 'deposit' THEN @amount WHEN 'balance' THEN @amount WHEN 'withdrawal' THEN -@amount ELSE 0 END,
       @score,
       CASE WHEN @type = 'purchase' AND @amount > 100000 THEN 'diamond' WHEN @type = 'purchase' AND @amount >= 50000 THEN 'gold'
            WHEN @type = 'purchase' AND @amount >= 10000 THEN 'silver' ELSE 'regular' END,
       @occurred_at
FROM inserted
ON CONFLICT (customer_id) DO UPDATE SET
    event_count  = c.event_count + 1,
    spend_12m    = c.spend_12m + CASE EXCLUDED.spend_12m WHEN 0 THEN CASE WHEN @type = 'refund' THEN -@amount ELSE 0 END ELSE EXCLUDED.spend_12m END,
    orders_6m    = c.orders_6m + EXCLUDED.orders_6m,
    logins_30d   = c.logins_30d + EXCLUDED.logins_30d,
    balance      = CASE WHEN @type = 'balance' THEN @amount ELSE c.balance + EXCLUDED.balance END,
    credit_score = COALESCE(EXCLUDED.credit_score, c.credit_score),
    membership   = CASE WHEN c.spend_12m + EXCLUDED.spend_12m > 100000 THEN 'diamond'
                        WHEN c.spend_12m + EXCLUDED.spend_12m >= 50000 THEN 'gold'
                        WHEN c.spend_12m + EXCLUDED.spend_12m >= 10000 THEN 'silver' ELSE 'regular' END,
    last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at);
