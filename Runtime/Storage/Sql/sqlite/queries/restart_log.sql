-- Copies what is left of the WAL into the database file, then has the next commit write the WAL again from its
-- beginning (the file keeps its size, so no truncation is paid). Blocks the writer while it runs: run it after a
-- passive checkpoint, when little is left to copy.
PRAGMA wal_checkpoint(RESTART);
