-- @entry_ids is a text[].
SELECT entry_id
FROM grain_journal
WHERE grain_type = @grain_type AND grain_key = @grain_key AND stream = @stream
  AND entry_id = ANY(@entry_ids);
