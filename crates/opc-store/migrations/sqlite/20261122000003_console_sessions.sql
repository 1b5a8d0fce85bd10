-- Console accounts and sessions (SQLite): registration facts, operator staff, login sessions.

-- R-ACCT-16: cloud services may be enabled later than registration.
ALTER TABLE accounts ADD COLUMN services_enabled_at_ms INTEGER;

-- Operator staff (the cloud provider's people), who sign in to review and administer.
CREATE TABLE staff (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    CONSTRAINT staff_email_key UNIQUE (email)
);

-- Sessions of console users: an account's, a staff member's or an organization member's. Only the SHA-256 of the token
-- is stored, so a leaked table opens no session.
CREATE TABLE sessions (
    token_sha256  TEXT    PRIMARY KEY,
    account_id    TEXT    REFERENCES accounts (id),
    staff_id      TEXT    REFERENCES staff (id),
    -- A partner organization member's (the table comes with the organization migration).
    member_id     TEXT,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER,
    CHECK ((account_id IS NOT NULL) + (staff_id IS NOT NULL) + (member_id IS NOT NULL) = 1)
);
CREATE INDEX sessions_account ON sessions (account_id);
