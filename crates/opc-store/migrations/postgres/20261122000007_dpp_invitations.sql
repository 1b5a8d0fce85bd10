-- Invitations to the Distribution Partner Program (PostgreSQL), sent by the operator (R-PROG-27).

CREATE TABLE dpp_invitations (
    account_id    TEXT    PRIMARY KEY REFERENCES accounts (id),
    invited_by    TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL
);
