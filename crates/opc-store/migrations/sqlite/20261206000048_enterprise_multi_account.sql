-- Issue 16, enterprise multi-account (B1.11, B2.11): a master's organization units, its member
-- accounts, the SMS codes that prove a member's phone, and the customers that enabled
-- enterprise projects. SMS messages go through the outbox: SQLite cannot change a CHECK
-- constraint in place, so the notifications table is rebuilt with the 'sms' channel.
CREATE TABLE notifications_v3 (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT    NOT NULL UNIQUE,
    channel            TEXT    NOT NULL CHECK (channel IN ('email', 'webhook', 'sms')),
    recipient          TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    created_at_ms      INTEGER NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL,
    next_attempt_at_ms INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    sent_at_ms         INTEGER
);
INSERT INTO notifications_v3 (seq, id, channel, recipient, subject, body, created_at_ms, state, attempts,
                              next_attempt_at_ms, last_error, sent_at_ms)
SELECT seq, id, channel, recipient, subject, body, created_at_ms, state, attempts,
       next_attempt_at_ms, last_error, sent_at_ms FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v3 RENAME TO notifications;
CREATE INDEX notifications_due ON notifications (state, next_attempt_at_ms, seq);
CREATE INDEX notifications_recipient ON notifications (recipient, seq);

CREATE TABLE enterprise_units (
    id            TEXT    PRIMARY KEY,
    master_id     TEXT    NOT NULL REFERENCES accounts (id),
    parent_id     TEXT    REFERENCES enterprise_units (id),
    relation_id   TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
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
    status        INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX enterprise_members_master ON enterprise_members (master_id, created_at_ms, member_id);

-- An SMS code's digits are only in the message: `code_hash` is their keyed hash.
CREATE TABLE enterprise_sms_codes (
    id            TEXT    PRIMARY KEY,
    master_id     TEXT    NOT NULL REFERENCES accounts (id),
    phone         TEXT    NOT NULL,
    code_hash     TEXT    NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX enterprise_sms_codes_phone ON enterprise_sms_codes (master_id, phone, created_at_ms);

CREATE TABLE enterprise_project_auths (
    account_id    TEXT    PRIMARY KEY REFERENCES accounts (id),
    enabled_at_ms INTEGER NOT NULL
);
