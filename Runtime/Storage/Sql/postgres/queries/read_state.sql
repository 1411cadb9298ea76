SELECT version, payload, due_at
FROM grain_state
WHERE grain_type = @grain_type AND grain_key = @grain_key;
