-- The embedded store's commit log: every group commit appends one row holding its writes (each grain's new state and
-- journal entries) in commit order, a few sequential pages instead of pages all over the customer-keyed tables.
-- CommitLogFolder folds the rows into grain_state and grain_journal a few seconds later, each grain's pages once for
-- all its writes in between, and then deletes them. A restart replays the rows not yet folded.
CREATE TABLE commit_log (
    seq  INTEGER PRIMARY KEY,   -- commit order
    body BLOB    NOT NULL       -- CommitLogCodec
);
