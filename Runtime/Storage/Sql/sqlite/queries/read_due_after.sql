-- The next page of read_due: grains due by @now after the last row of the page before, in the same order.
SELECT grain_type, grain_key, due_at
FROM grain_state
WHERE due_at IS NOT NULL AND due_at <= @now
  AND (due_at, grain_type, grain_key) > (@after_due, @after_type, @after_key)
ORDER BY due_at, grain_type, grain_key
LIMIT @limit;
