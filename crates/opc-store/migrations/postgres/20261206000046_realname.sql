-- Real-name authentication (issue #16, BSS B1.10, B2.10): the attachments a partner uploads for
-- its customer (at most 10 MB each, checked before storing; never replaced, so what the
-- operator reviewed stays what was submitted), and the applications with their review.
CREATE TABLE realname_files (
    customer_id     TEXT    NOT NULL REFERENCES accounts (id),
    name            TEXT    NOT NULL,
    partner_id      TEXT    NOT NULL REFERENCES partners (id),
    content_type    TEXT    NOT NULL,
    content         BYTEA   NOT NULL,
    uploaded_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (customer_id, name)
);

CREATE TABLE realname_applications (
    id               TEXT    PRIMARY KEY,
    customer_id      TEXT    NOT NULL REFERENCES accounts (id),
    partner_id       TEXT    NOT NULL REFERENCES partners (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('individual', 'enterprise')),
    is_change        BOOLEAN NOT NULL,
    -- The identity's fields as JSON (document or certificate, names, numbers, address).
    identity         TEXT    NOT NULL,
    -- The attachments' names, a JSON array in the documented order.
    files            TEXT    NOT NULL,
    submitted_at_ms  BIGINT  NOT NULL,
    review           TEXT    NOT NULL CHECK (review IN ('pending', 'approved', 'rejected')),
    reviewed_at_ms   BIGINT,
    reviewed_by      TEXT,
    opinion          TEXT,
    version          BIGINT  NOT NULL,
    CHECK ((review = 'pending') = (reviewed_at_ms IS NULL))
);
-- One application under review per customer, whatever the race.
CREATE UNIQUE INDEX realname_one_pending ON realname_applications (customer_id) WHERE review = 'pending';
CREATE INDEX realname_by_customer ON realname_applications (customer_id, submitted_at_ms);
CREATE INDEX realname_pending ON realname_applications (submitted_at_ms) WHERE review = 'pending';
