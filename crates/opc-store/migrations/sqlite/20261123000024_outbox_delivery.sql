-- Outbox delivery (issue #6): each notification is tried until it is sent, waiting longer
-- after each failure (`next_attempt_at_ms`; a claim moves it ahead by a lease, so one worker
-- at a time tries it), and given up after the last attempt with its error kept. Webhook
-- notifications go to the partner's webhook (`recipient` is the partner's id), signed with its
-- secret. SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE notifications_v2 (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT    NOT NULL UNIQUE,
    channel            TEXT    NOT NULL CHECK (channel IN ('email', 'webhook')),
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
INSERT INTO notifications_v2 (seq, id, channel, recipient, subject, body, created_at_ms, state, attempts)
SELECT seq, id, channel, recipient, subject, body, created_at_ms, state, attempts FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v2 RENAME TO notifications;
CREATE INDEX notifications_due ON notifications (state, next_attempt_at_ms, seq);
CREATE INDEX notifications_recipient ON notifications (recipient, seq);

-- A partner's webhook for its budget and quota notices; the signing secret sealed with the
-- master key.
CREATE TABLE partner_webhooks (
    partner_id    TEXT    PRIMARY KEY REFERENCES partners (id),
    url           TEXT    NOT NULL,
    sealed_secret BLOB    NOT NULL,
    set_at_ms     INTEGER NOT NULL
);
