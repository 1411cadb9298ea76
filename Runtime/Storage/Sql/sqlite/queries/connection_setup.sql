-- Durable commits: fsync the WAL on every commit (survives power loss, not just kill -9).
PRAGMA synchronous = FULL;
PRAGMA busy_timeout = 10000;
-- A large page cache per connection: the working set of a busy store stays in memory (pages are allocated on use).
PRAGMA cache_size = -65536;
-- No checkpoint inside a commit (one that copies the WAL back stalls every writer queued behind it): the
-- WalCheckpointer does it in the background.
PRAGMA wal_autocheckpoint = 0;
