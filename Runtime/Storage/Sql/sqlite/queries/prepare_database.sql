-- Run before the migration transaction (journal_mode cannot change inside one). Persistent in the file.
PRAGMA journal_mode = WAL;
