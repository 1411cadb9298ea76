SELECT seq, entry_id, recorded_at, payload
FROM grain_journal
WHERE grain_type = @grain_type AND grain_key = @grain_key AND stream = @stream AND seq < @before_seq
ORDER BY seq DESC
LIMIT @limit;
