-- The outbox messages of one group commit in one statement, numbered (seq) in the order given.
INSERT INTO outbox (message_id, topic, label, grain_type, grain_key, created_at, payload)
SELECT message_id, topic, label, grain_type, grain_key, created_at, payload
FROM unnest(@message_ids::text[], @topics::text[], @labels::text[], @grain_types::text[], @grain_keys::text[],
            @created_ats::bigint[], @payloads::bytea[]) WITH ORDINALITY
    AS m(message_id, topic, label, grain_type, grain_key, created_at, payload, n)
ORDER BY n;
