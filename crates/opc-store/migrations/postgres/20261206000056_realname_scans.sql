-- RN-QR (issue 16, B2.10.1): a customer's single-use real-name address, valid 10 minutes. The
-- token is stored only as its keyed hash; using it stores the application it carried.
CREATE TABLE realname_scans (
    token_hash     TEXT    PRIMARY KEY,
    customer_id    TEXT    NOT NULL REFERENCES accounts (id),
    partner_id     TEXT    NOT NULL REFERENCES partners (id),
    expires_at_ms  BIGINT  NOT NULL,
    used_at_ms     BIGINT,
    created_at_ms  BIGINT  NOT NULL
);
CREATE INDEX realname_scans_customer ON realname_scans (customer_id, created_at_ms);
