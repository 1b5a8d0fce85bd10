-- Issue 16, enterprise multi-account (B1.11, B2.11): a master's organization units, its member
-- accounts, the SMS codes that prove a member's phone, and the customers that enabled
-- enterprise projects. SMS messages go through the outbox on the 'sms' channel.
ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'webhook', 'sms'));

CREATE TABLE enterprise_units (
    id            TEXT    PRIMARY KEY,
    master_id     TEXT    NOT NULL REFERENCES accounts (id),
    parent_id     TEXT    REFERENCES enterprise_units (id),
    relation_id   TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL
);
-- One root per master.
CREATE UNIQUE INDEX enterprise_units_root ON enterprise_units (master_id) WHERE parent_id IS NULL;
CREATE INDEX enterprise_units_master ON enterprise_units (master_id, created_at_ms, id);

CREATE TABLE enterprise_members (
    member_id     TEXT    PRIMARY KEY REFERENCES accounts (id),
    master_id     TEXT    NOT NULL REFERENCES accounts (id),
    unit_id       TEXT    NOT NULL REFERENCES enterprise_units (id),
    accounting    TEXT    NOT NULL CHECK (accounting IN ('unified', 'independent')),
    permissions   TEXT    NOT NULL,
    status        BIGINT  NOT NULL,
    created_at_ms BIGINT  NOT NULL
);
CREATE INDEX enterprise_members_master ON enterprise_members (master_id, created_at_ms, member_id);

-- An SMS code's digits are only in the message: `code_hash` is their keyed hash.
CREATE TABLE enterprise_sms_codes (
    id            TEXT    PRIMARY KEY,
    master_id     TEXT    NOT NULL REFERENCES accounts (id),
    phone         TEXT    NOT NULL,
    code_hash     TEXT    NOT NULL,
    expires_at_ms BIGINT  NOT NULL,
    created_at_ms BIGINT  NOT NULL
);
CREATE INDEX enterprise_sms_codes_phone ON enterprise_sms_codes (master_id, phone, created_at_ms);

CREATE TABLE enterprise_project_auths (
    account_id    TEXT    PRIMARY KEY REFERENCES accounts (id),
    enabled_at_ms BIGINT  NOT NULL
);
