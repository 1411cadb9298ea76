-- Messages after a position, oldest first, with their workflow status. Filters are optional (NULL: any);
-- the casts type NULL parameters for PostgreSQL.
SELECT o.seq, o.message_id, o.topic, o.label, o.grain_type, o.grain_key, o.created_at, o.payload,
       s.status, s.acknowledged_by, s.acknowledged_at, s.resolved_by, s.resolved_at, s.note
FROM outbox o
LEFT JOIN outbox_status s ON s.message_id = o.message_id
WHERE o.seq > @after_seq
  AND (CAST(@topic AS text) IS NULL OR o.topic = @topic)
  AND (CAST(@label AS text) IS NULL OR o.label = @label)
  AND (CAST(@grain_key AS text) IS NULL OR o.grain_key = @grain_key)
  AND (CAST(@from_time AS bigint) IS NULL OR o.created_at >= @from_time)
  AND (CAST(@to_time AS bigint) IS NULL OR o.created_at < @to_time)
  AND (CAST(@status AS text) IS NULL OR COALESCE(s.status, 'open') = @status)
ORDER BY o.seq
LIMIT @limit;
