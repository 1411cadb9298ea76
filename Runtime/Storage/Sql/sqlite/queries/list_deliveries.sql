SELECT message_id, seq, topic, status, attempts, last_status, last_error, last_attempt_at, next_attempt_at, delivered_at
FROM deliveries
WHERE subscriber = @subscriber AND seq > @after_seq AND (@status IS NULL OR status = @status)
ORDER BY seq
LIMIT @limit;
