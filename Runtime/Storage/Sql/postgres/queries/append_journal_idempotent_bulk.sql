-- The idempotent journal entries (event ids) of one group commit in one statement: an id the stream already holds
-- is not inserted. Returns the entries inserted; the writes missing some are refused and rolled back.
INSERT INTO grain_journal (grain_type, grain_key, stream, seq, entry_id, recorded_at, payload)
SELECT *
FROM unnest(@grain_types::text[], @grain_keys::text[], @streams::text[], @seqs::bigint[], @entry_ids::text[],
            @recorded_ats::bigint[], @payloads::bytea[])
ON CONFLICT (grain_type, grain_key, stream, entry_id) DO NOTHING
RETURNING grain_type, grain_key, stream, entry_id;
