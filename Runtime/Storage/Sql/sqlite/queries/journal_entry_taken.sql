-- Whether a journal stream already holds an entry's id (1) or its sequence number (2), or both (3): a seek in the
-- unique index on entry_id and one in the primary key, no scan.
SELECT EXISTS (SELECT 1 FROM grain_journal
               WHERE grain_type = @grain_type AND grain_key = @grain_key AND stream = @stream AND entry_id = @entry_id)
     + 2 * EXISTS (SELECT 1 FROM grain_journal
                   WHERE grain_type = @grain_type AND grain_key = @grain_key AND stream = @stream AND seq = @seq);
