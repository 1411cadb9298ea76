SELECT version, created_at FROM documents WHERE kind = @kind ORDER BY version DESC LIMIT @limit;
