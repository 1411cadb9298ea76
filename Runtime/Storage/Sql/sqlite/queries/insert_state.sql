-- First write of a grain: succeeds only if no row exists yet (0 rows affected means a conflict).
INSERT INTO grain_state (grain_type, grain_key, partition_id, version, payload, updated_at, due_at)
VALUES (@grain_type, @grain_key, @partition_id, @new_version, @payload, @updated_at, @due_at)
ON CONFLICT (grain_type, grain_key) DO NOTHING;
