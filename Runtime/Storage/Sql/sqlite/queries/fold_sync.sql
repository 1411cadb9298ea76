-- A fold's transactions need not reach the disk at their commit: the log rows they fold stay until a later commit,
-- which fsyncs the write-ahead log with everything before it (WAL mode keeps a crash's store a consistent prefix).
-- So a fold waits for no fsync, and neither does a group commit queued behind it.
PRAGMA synchronous = NORMAL;
