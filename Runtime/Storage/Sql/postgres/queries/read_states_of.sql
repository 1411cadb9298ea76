-- The stored states of several grains in one query (grains activated together read their states together).
-- @grain_types and @grain_keys are text[] of equal length: grain i is (@grain_types[i], @grain_keys[i]). One row per
-- grain that has a state, with its position i (1-based) so that each caller gets its own.
SELECT w.position, s.version, s.payload, s.due_at
FROM unnest(@grain_types::text[], @grain_keys::text[]) WITH ORDINALITY AS w (grain_type, grain_key, position)
JOIN grain_state AS s ON s.grain_type = w.grain_type AND s.grain_key = w.grain_key;
