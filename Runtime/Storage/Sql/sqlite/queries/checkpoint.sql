-- Copies committed WAL frames back into the database file without waiting for readers or the writer
-- (PASSIVE). Returns busy (0/1), frames in the WAL, frames checkpointed.
PRAGMA wal_checkpoint(PASSIVE);
