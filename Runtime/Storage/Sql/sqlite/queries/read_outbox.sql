-- Messages after a position, oldest first, with their workflow status. Filters are optional (NULL: any).
SELECT o.seq, o.message_id, o.topic, o.label, o.grain_type, o.grain_key, o.created_at, o.payload,
       s.status, s.acknowledged_by, s.acknowledged_at, s.resolved_by, s.resolved_at, s.note
FROM outbox o
LEFT JOIN outbox_status s ON s.message_id = o.message_id
WHERE o.seq > @after_seq
  AND (@topic IS NULL OR o.topic = @topic)
  AND (@label IS NULL OR o.label = @label)
  AND (@grain_key IS NULL OR o.grain_key = @grain_key)
  AND (@from_time IS NULL OR o.created_at >= @from_time)
  AND (@to_time IS NULL OR o.created_at < @to_time)
  AND (@status IS NULL OR COALESCE(s.status, 'open') = @status)
ORDER BY o.seq
LIMIT @limit;
