INSERT INTO commit_log (body) VALUES (@body) RETURNING seq;
