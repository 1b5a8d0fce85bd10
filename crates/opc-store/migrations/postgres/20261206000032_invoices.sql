-- Issue 14: the invoices the operator issues to partners for money received (B1.8.5), one per
-- payment entry, in the same transaction as the payment.
CREATE TABLE invoices (
    id           TEXT    PRIMARY KEY,
    number       TEXT    NOT NULL UNIQUE,
    partner_id   TEXT    NOT NULL REFERENCES partners (id),
    entry_id     TEXT    NOT NULL UNIQUE REFERENCES ledger_entries (id),
    amount_e8    BIGINT    NOT NULL CHECK (amount_e8 > 0),
    tax_rate_bp  BIGINT    NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    tax_e8       BIGINT    NOT NULL CHECK (tax_e8 >= 0),
    issued_at_ms BIGINT    NOT NULL
);
CREATE INDEX invoices_partner ON invoices (partner_id, issued_at_ms);
