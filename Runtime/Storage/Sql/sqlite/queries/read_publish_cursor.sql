-- Where a publisher resumes: after the last outbox message the broker confirmed.
SELECT COALESCE(MAX(seq), 0) FROM publish_cursors WHERE publisher = @publisher;
