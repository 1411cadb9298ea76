-- Runs inside the migration transaction, after migration_lock: CREATE TABLE IF NOT EXISTS is not safe
-- against a concurrent creator on its own.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer NOT NULL PRIMARY KEY,
    name       text    NOT NULL,
    applied_at bigint  NOT NULL
);
