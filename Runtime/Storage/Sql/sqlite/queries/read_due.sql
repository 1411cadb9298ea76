-- Grains whose due moment has come, earliest first (the order of ix_grain_state_due, which holds the key after due_at).
SELECT grain_type, grain_key, due_at
FROM grain_state
WHERE due_at IS NOT NULL AND due_at <= @now
ORDER BY due_at, grain_type, grain_key
LIMIT @limit;
