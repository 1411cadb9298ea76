-- Back to the group commits' setting (connection_setup.sql) before the connection returns to the pool.
PRAGMA synchronous = FULL;
