-- Rows not yet folded, in commit order (replayed at start).
SELECT seq, body FROM commit_log ORDER BY seq;
