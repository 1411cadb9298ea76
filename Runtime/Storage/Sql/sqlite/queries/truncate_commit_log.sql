-- Rows whose every write has been folded into grain_state and grain_journal.
DELETE FROM commit_log WHERE seq <= @seq;
