-- The "register a new account" flow (SQLite), R-ACCT-13/14: 24-hour, single-use links.

CREATE TABLE new_account_links (
    token_sha256  TEXT    PRIMARY KEY,
    from_account  TEXT    NOT NULL REFERENCES accounts (id),
    from_email    TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER
);
