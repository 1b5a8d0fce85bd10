-- Who receives a partner's budget and quota notices (PostgreSQL), issue #6: emails, one per line.
-- Without a row, the partner account's own email does.
CREATE TABLE notice_recipients (
    partner_id    TEXT    PRIMARY KEY REFERENCES partners (id),
    emails        TEXT    NOT NULL,
    set_at_ms     BIGINT  NOT NULL
);
