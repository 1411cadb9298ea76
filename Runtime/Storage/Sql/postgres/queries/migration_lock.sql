-- Serialises concurrent starters; released at the end of the migration transaction.
SELECT pg_advisory_xact_lock(7254011);
