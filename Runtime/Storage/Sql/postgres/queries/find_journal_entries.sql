-- Which (grain key, entry id) pairs a journal stream holds, for many grains of one type in one query.
-- @grain_keys and @entry_ids are text[] of equal length: pair i is (@grain_keys[i], @entry_ids[i]).
SELECT j.grain_key, j.entry_id
FROM unnest(@grain_keys, @entry_ids) AS w (grain_key, entry_id)
JOIN grain_journal AS j
  ON j.grain_type = @grain_type AND j.grain_key = w.grain_key AND j.stream = @stream AND j.entry_id = w.entry_id;
