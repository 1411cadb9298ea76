-- Moves a publisher's cursor forward only (a late, smaller position never moves it back).
INSERT INTO publish_cursors (publisher, seq, updated_at) VALUES (@publisher, @seq, @updated_at)
ON CONFLICT (publisher) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at
WHERE excluded.seq > publish_cursors.seq;
