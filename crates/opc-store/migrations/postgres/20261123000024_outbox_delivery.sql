-- Outbox delivery (issue #6): each notification is tried until it is sent, waiting longer
-- after each failure (`next_attempt_at_ms`; a claim moves it ahead by a lease, so one worker
-- at a time tries it), and given up after the last attempt with its error kept. Webhook
-- notifications go to the partner's webhook (`recipient` is the partner's id), signed with its
-- secret.
ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'webhook'));
ALTER TABLE notifications ADD COLUMN next_attempt_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN last_error TEXT;
ALTER TABLE notifications ADD COLUMN sent_at_ms BIGINT;
DROP INDEX notifications_pending;
CREATE INDEX notifications_due ON notifications (state, next_attempt_at_ms, seq);

-- A partner's webhook for its budget and quota notices; the signing secret sealed with the
-- master key.
CREATE TABLE partner_webhooks (
    partner_id    TEXT    PRIMARY KEY REFERENCES partners (id),
    url           TEXT    NOT NULL,
    sealed_secret BYTEA   NOT NULL,
    set_at_ms     BIGINT  NOT NULL
);
