-- Dedicated personnel (PostgreSQL): HUAWEI IDs invited to, and associated with, a partner's company
-- account (R-ORG-05 … R-ORG-13). One row per partner and person; re-inviting reuses it.
CREATE TABLE personnel (
    partner_id       TEXT    NOT NULL REFERENCES partners (id),
    account_id       TEXT    NOT NULL REFERENCES accounts (id),
    token_sha256     TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('invited', 'associated', 'unassociated')),
    -- Invited: the link's expiry (R-ORG-11); associated or unassociated: when it became so.
    state_at_ms      BIGINT  NOT NULL,
    invited_at_ms    BIGINT  NOT NULL,
    associated_at_ms BIGINT,
    position         TEXT    NOT NULL,
    certificates     TEXT    NOT NULL, -- one name per line
    employment       TEXT    NOT NULL,
    version          BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, account_id),
    CONSTRAINT personnel_token_key UNIQUE (token_sha256)
);
CREATE INDEX personnel_account ON personnel (account_id);
