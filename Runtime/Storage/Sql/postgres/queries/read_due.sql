-- Grains whose due moment has come, earliest first.
SELECT grain_type, grain_key, due_at
FROM grain_state
WHERE due_at IS NOT NULL AND due_at <= @now
ORDER BY due_at
LIMIT @limit;
