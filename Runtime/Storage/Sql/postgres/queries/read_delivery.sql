SELECT message_id, seq, topic, status, attempts, last_status, last_error, last_attempt_at, next_attempt_at, delivered_at
FROM deliveries WHERE subscriber = @subscriber AND message_id = @message_id;
