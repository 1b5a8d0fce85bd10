-- The "register a new account" flow (PostgreSQL), R-ACCT-13/14: 24-hour, single-use links.

CREATE TABLE new_account_links (
    token_sha256  TEXT    PRIMARY KEY,
    from_account  TEXT    NOT NULL REFERENCES accounts (id),
    from_email    TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    expires_at_ms BIGINT  NOT NULL,
    used_at_ms    BIGINT
);
