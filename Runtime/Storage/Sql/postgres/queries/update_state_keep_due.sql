-- A later write whose due moment is the one stored: as update_state, leaving due_at (and its index) untouched.
UPDATE grain_state
SET version = @new_version, payload = @payload, updated_at = @updated_at
WHERE grain_type = @grain_type AND grain_key = @grain_key AND version = @expected_version;
