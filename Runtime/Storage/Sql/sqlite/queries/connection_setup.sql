-- Durable commits: fsync the WAL on every commit (survives power loss, not just kill -9).
PRAGMA synchronous = FULL;
PRAGMA busy_timeout = 10000;
