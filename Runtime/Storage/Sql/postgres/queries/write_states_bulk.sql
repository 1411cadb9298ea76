-- Every version-checked state write of one group commit in one statement (each grain at most once in it).
-- expected_version 0: first write, inserted only if no row exists; otherwise updated only if the stored version
-- is the one the grain read. Returns the grains whose write passed; the others changed nothing.
WITH w AS (
    SELECT *
    FROM unnest(@grain_types::text[], @grain_keys::text[], @partition_ids::integer[], @expected_versions::bigint[],
                @payloads::bytea[], @updated_ats::bigint[], @due_ats::bigint[])
        AS w(grain_type, grain_key, partition_id, expected_version, payload, updated_at, due_at)
), updated AS (
    UPDATE grain_state AS g
    SET version = w.expected_version + 1, payload = w.payload, updated_at = w.updated_at, due_at = w.due_at
    FROM w
    WHERE w.expected_version > 0
      AND g.grain_type = w.grain_type AND g.grain_key = w.grain_key AND g.version = w.expected_version
    RETURNING g.grain_type, g.grain_key
), inserted AS (
    INSERT INTO grain_state (grain_type, grain_key, partition_id, version, payload, updated_at, due_at)
    SELECT w.grain_type, w.grain_key, w.partition_id, 1, w.payload, w.updated_at, w.due_at
    FROM w
    WHERE w.expected_version = 0
    ON CONFLICT (grain_type, grain_key) DO NOTHING
    RETURNING grain_type, grain_key
)
SELECT grain_type, grain_key FROM updated
UNION ALL
SELECT grain_type, grain_key FROM inserted;
