-- @entry_ids is a JSON array of strings.
SELECT entry_id
FROM grain_journal
WHERE grain_type = @grain_type AND grain_key = @grain_key AND stream = @stream
  AND entry_id IN (SELECT value FROM json_each(@entry_ids));
