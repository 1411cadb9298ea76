-- The stored version of a grain's state (no row: none).
SELECT version FROM grain_state WHERE grain_type = @grain_type AND grain_key = @grain_key;
