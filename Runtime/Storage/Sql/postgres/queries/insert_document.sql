-- A new version; 0 rows affected means that version exists already.
INSERT INTO documents (kind, version, body, created_at)
VALUES (@kind, @version, @body, @created_at)
ON CONFLICT (kind, version) DO NOTHING;
