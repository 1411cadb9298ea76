SELECT o.seq, o.message_id, o.topic, o.label, o.grain_type, o.grain_key, o.created_at, o.payload,
       s.status, s.acknowledged_by, s.acknowledged_at, s.resolved_by, s.resolved_at, s.note
FROM outbox o
LEFT JOIN outbox_status s ON s.message_id = o.message_id
WHERE o.message_id = @message_id;
