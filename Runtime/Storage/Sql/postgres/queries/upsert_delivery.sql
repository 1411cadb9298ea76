INSERT INTO deliveries (subscriber, message_id, seq, topic, status, attempts, last_status, last_error, last_attempt_at, next_attempt_at, delivered_at)
VALUES (@subscriber, @message_id, @seq, @topic, @status, @attempts, @last_status, @last_error, @last_attempt_at, @next_attempt_at, @delivered_at)
ON CONFLICT (subscriber, message_id) DO UPDATE SET
    status = excluded.status, attempts = excluded.attempts, last_status = excluded.last_status, last_error = excluded.last_error,
    last_attempt_at = excluded.last_attempt_at, next_attempt_at = excluded.next_attempt_at, delivered_at = excluded.delivered_at;
