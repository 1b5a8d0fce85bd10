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
    employment       TEXT    NOT NULL,
    version          BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, account_id),
    CONSTRAINT personnel_token_key UNIQUE (token_sha256)
);
CREATE INDEX personnel_account ON personnel (account_id);

-- A person's own certificates (R-ORG-14 … R-ORG-17): a number is bound to one HUAWEI ID at a
-- time; moving it is unbinding and binding again.
CREATE TABLE person_certificates (
    number      TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('hcia', 'hcip', 'hcie', 'cloud_migration')),
    source      TEXT    NOT NULL CHECK (source IN ('uploaded', 'synchronized')),
    bound_at_ms BIGINT  NOT NULL
);
CREATE INDEX person_certificates_account ON person_certificates (account_id);
