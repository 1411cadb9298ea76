-- Versioned documents (the customer policy, its rollouts): every version kept, never overwritten.
CREATE TABLE documents (
    kind       text    NOT NULL,
    version    integer NOT NULL,
    body       text    NOT NULL,
    created_at bigint  NOT NULL,    -- Unix time, milliseconds
    PRIMARY KEY (kind, version)
);
