-- Acknowledge or resolve: a resolved message stays resolved; the first acknowledgement is kept.
INSERT INTO outbox_status (message_id, status, acknowledged_by, acknowledged_at, resolved_by, resolved_at, note)
VALUES (@message_id, @status, @acknowledged_by, @acknowledged_at, @resolved_by, @resolved_at, @note)
ON CONFLICT (message_id) DO UPDATE SET
    status          = CASE WHEN outbox_status.status = 'resolved' THEN 'resolved' ELSE excluded.status END,
    acknowledged_by = COALESCE(outbox_status.acknowledged_by, excluded.acknowledged_by),
    acknowledged_at = COALESCE(outbox_status.acknowledged_at, excluded.acknowledged_at),
    resolved_by     = COALESCE(outbox_status.resolved_by, excluded.resolved_by),
    resolved_at     = COALESCE(outbox_status.resolved_at, excluded.resolved_at),
    note            = COALESCE(excluded.note, outbox_status.note);
