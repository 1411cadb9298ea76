-- Durable commits: fsync the WAL on every commit (survives power loss, not just kill -9).
PRAGMA synchronous = FULL;
PRAGMA busy_timeout = 10000;
-- A large page cache per connection: the working set of a busy store stays in memory (pages are allocated on use).
PRAGMA cache_size = -65536;
-- Checkpoint after 64 MB of WAL rather than 4 MB: pages written by many commits are copied back once.
PRAGMA wal_autocheckpoint = 16384;
