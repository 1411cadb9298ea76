SELECT version, body, created_at FROM documents WHERE kind = @kind AND version = @version;
