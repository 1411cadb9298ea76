-- Stored states of one grain type in key order, a page at a time (dry runs, rollouts).
SELECT grain_key, version, payload
FROM grain_state
WHERE grain_type = @grain_type AND grain_key > @after_key
ORDER BY grain_key
LIMIT @limit;
