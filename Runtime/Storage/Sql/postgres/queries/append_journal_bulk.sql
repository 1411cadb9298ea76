-- The journal entries of every write of one group commit whose version check passed, in one statement.
INSERT INTO grain_journal (grain_type, grain_key, stream, seq, entry_id, recorded_at, payload)
SELECT *
FROM unnest(@grain_types::text[], @grain_keys::text[], @streams::text[], @seqs::bigint[], @entry_ids::text[],
            @recorded_ats::bigint[], @payloads::bytea[]);
