-- The migration transaction is BEGIN IMMEDIATE, which already takes SQLite's write lock.
SELECT 1;
