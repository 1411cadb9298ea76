-- Later writes: succeed only if the stored version is the one the grain read (0 rows affected means a conflict).
-- partition_id is not set again: it is the key's, fixed at the first write (an index entry rewritten to the same
-- value still costs SQLite a page).
UPDATE grain_state
SET version = @new_version, payload = @payload, updated_at = @updated_at, due_at = @due_at
WHERE grain_type = @grain_type AND grain_key = @grain_key AND version = @expected_version;
