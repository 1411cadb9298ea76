-- Which (grain key, entry id) pairs a journal stream holds, for many grains of one type in one query.
-- @pairs is a JSON array of [grain_key, entry_id] arrays. CROSS JOIN keeps the pairs as the outer loop, so each
-- pair is one seek in the unique index on (grain_type, grain_key, stream, entry_id), never a scan.
SELECT j.grain_key, j.entry_id
FROM json_each(@pairs) AS w
CROSS JOIN grain_journal AS j
WHERE j.grain_type = @grain_type AND j.stream = @stream
  AND j.grain_key = json_extract(w.value, '$[0]') AND j.entry_id = json_extract(w.value, '$[1]');
