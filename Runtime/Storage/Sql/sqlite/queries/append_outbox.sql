INSERT INTO outbox (message_id, topic, label, grain_type, grain_key, created_at, payload)
VALUES (@message_id, @topic, @label, @grain_type, @grain_key, @created_at, @payload);
