-- A commit-log position is never given twice: with a plain INTEGER PRIMARY KEY, SQLite numbers the first row after the
-- log was emptied 1 again, and a fold in progress would take the new row for an old one. AUTOINCREMENT keeps counting.
CREATE TABLE commit_log_positions (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    body BLOB    NOT NULL
);
INSERT INTO commit_log_positions (seq, body) SELECT seq, body FROM commit_log;
DROP TABLE commit_log;
ALTER TABLE commit_log_positions RENAME TO commit_log;
