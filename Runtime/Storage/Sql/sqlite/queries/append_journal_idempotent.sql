-- An entry whose id is an idempotency key: nothing is inserted (0 rows affected) if the stream already holds the id.
INSERT INTO grain_journal (grain_type, grain_key, stream, seq, entry_id, recorded_at, payload)
VALUES (@grain_type, @grain_key, @stream, @seq, @entry_id, @recorded_at, @payload)
ON CONFLICT (grain_type, grain_key, stream, entry_id) DO NOTHING;
