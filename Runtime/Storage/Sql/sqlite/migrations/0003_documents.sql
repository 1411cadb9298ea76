-- Versioned documents (the customer policy, its rollouts): every version kept, never overwritten.
CREATE TABLE documents (
    kind       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,    -- Unix time, milliseconds
    PRIMARY KEY (kind, version)
) WITHOUT ROWID;
