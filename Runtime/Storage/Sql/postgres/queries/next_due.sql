SELECT MIN(due_at) FROM grain_state WHERE due_at IS NOT NULL;
