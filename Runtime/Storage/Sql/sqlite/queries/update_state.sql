-- Later writes: succeed only if the stored version is the one the grain read (0 rows affected means a conflict).
UPDATE grain_state
SET version = @new_version, payload = @payload, updated_at = @updated_at, partition_id = @partition_id, due_at = @due_at
WHERE grain_type = @grain_type AND grain_key = @grain_key AND version = @expected_version;
