INSERT INTO grain_journal (grain_type, grain_key, stream, seq, entry_id, recorded_at, payload)
VALUES (@grain_type, @grain_key, @stream, @seq, @entry_id, @recorded_at, @payload);
