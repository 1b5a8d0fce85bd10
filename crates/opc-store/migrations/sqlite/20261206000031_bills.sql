-- Issue 14, bills: settlement terms, output tax, the monthly bill run and its bills.

-- A partner's settlement discount off list price (R-BILL-01), per service type ('' is the
-- default), in basis points, from a billing cycle (yyyymm) on.
CREATE TABLE settlement_terms (
    partner_id   TEXT    NOT NULL REFERENCES partners (id),
    from_cycle   INTEGER    NOT NULL,
    service_type TEXT    NOT NULL,
    discount_bp  INTEGER    NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    set_at_ms    INTEGER    NOT NULL,
    PRIMARY KEY (partner_id, from_cycle, service_type)
);

-- Output tax per country of the partner, in basis points; shown apart, never in the amount due.
CREATE TABLE tax_rates (
    country TEXT    PRIMARY KEY,
    rate_bp INTEGER    NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000)
);

-- One bill run per cycle: claimed with a lease by one process at a time, and resumed from its
-- phase and cursor (the last customer or partner id closed) after a crash.
CREATE TABLE bill_runs (
    cycle          INTEGER    PRIMARY KEY,
    phase          TEXT    NOT NULL CHECK (phase IN ('customers', 'partners', 'done')),
    cursor         TEXT    NOT NULL,
    customers_done INTEGER    NOT NULL,
    partners_done  INTEGER    NOT NULL,
    started_at_ms  INTEGER    NOT NULL,
    finished_at_ms INTEGER,
    lease_owner    TEXT,
    lease_until_ms INTEGER
);

-- A partner's monthly bill (R-BILL-03): its reseller customers' spend at the settlement price,
-- issued to the partner that pays it (its distributor for a reseller, R-DIST-02).
CREATE TABLE partner_bills (
    partner_id     TEXT    NOT NULL REFERENCES partners (id),
    cycle          INTEGER    NOT NULL,
    billed_to      TEXT    NOT NULL REFERENCES partners (id),
    official_e8    INTEGER    NOT NULL,
    discount_e8    INTEGER    NOT NULL,
    consumption_e8 INTEGER    NOT NULL,
    refunds_e8     INTEGER    NOT NULL,
    adjustments_e8 INTEGER    NOT NULL,
    amount_due_e8  INTEGER    NOT NULL,
    tax_e8         INTEGER    NOT NULL,
    paid_e8        INTEGER    NOT NULL CHECK (paid_e8 >= 0),
    due_at_ms      INTEGER    NOT NULL,
    issued_at_ms   INTEGER    NOT NULL,
    version        INTEGER    NOT NULL,
    PRIMARY KEY (partner_id, cycle)
);
CREATE INDEX partner_bills_billed_to ON partner_bills (billed_to, cycle);

CREATE TABLE partner_bill_lines (
    partner_id   TEXT    NOT NULL,
    cycle        INTEGER    NOT NULL,
    customer_id  TEXT    NOT NULL,
    service_type TEXT    NOT NULL,
    mode         TEXT    NOT NULL CHECK (mode IN ('period', 'on_demand')),
    kind         TEXT    NOT NULL CHECK (kind IN ('expenditure', 'refund', 'adjustment')),
    official_e8  INTEGER    NOT NULL,
    discount_e8  INTEGER    NOT NULL,
    due_e8       INTEGER    NOT NULL,
    -- Written with its bill in one statement of the same transaction; no foreign key (on
    -- PostgreSQL its check's cached plan went from an index probe to a scan as the table grew).
    PRIMARY KEY (partner_id, cycle, customer_id, service_type, mode, kind)
);

-- A customer's monthly bill at list price (R-BILL-12), one per payer: the customer itself
-- (payer_id ''), or the reseller partner that pays it (R-RCM-07).
CREATE TABLE customer_bills (
    customer_id      TEXT    NOT NULL,
    cycle            INTEGER    NOT NULL,
    payer_id         TEXT    NOT NULL,
    total_e8         INTEGER    NOT NULL,
    total_rounded_e8 INTEGER    NOT NULL,
    issued_at_ms     INTEGER    NOT NULL,
    PRIMARY KEY (customer_id, cycle, payer_id)
);
CREATE INDEX customer_bills_cycle_payer ON customer_bills (cycle, payer_id);

CREATE TABLE customer_bill_lines (
    customer_id  TEXT    NOT NULL,
    cycle        INTEGER    NOT NULL,
    payer_id     TEXT    NOT NULL,
    service_type TEXT    NOT NULL,
    mode         TEXT    NOT NULL CHECK (mode IN ('period', 'on_demand')),
    kind         TEXT    NOT NULL CHECK (kind IN ('expenditure', 'refund', 'adjustment')),
    official_e8  INTEGER    NOT NULL,
    -- As partner_bill_lines: written with its bill, no foreign key.
    PRIMARY KEY (customer_id, cycle, payer_id, service_type, mode, kind)
);
CREATE INDEX customer_bill_lines_payer ON customer_bill_lines (cycle, payer_id);

-- What a bill deduction settled: which bill a ledger entry paid.
ALTER TABLE ledger_entries ADD COLUMN bill_partner_id TEXT;
ALTER TABLE ledger_entries ADD COLUMN bill_cycle INTEGER;
