-- Pay-per-use usage rated at list price (SQLite), issue #6. The record id, given by the
-- metering system, makes ingestion idempotent. `partner_id` is the customer's partner when the
-- record was rated; `cycle` the billing month (yyyymm) in the billing time zone.
CREATE TABLE usage_records (
    id               TEXT    PRIMARY KEY,
    customer_id      TEXT    NOT NULL REFERENCES accounts (id),
    partner_id       TEXT    REFERENCES partners (id),
    -- The association's model then: only reseller customers' spend counts for budgets and the
    -- partner's consumption quota.
    model            TEXT    CHECK (model IN ('referral', 'reseller')),
    resource_id      TEXT    NOT NULL,
    service_type     TEXT    NOT NULL,
    resource_type    TEXT    NOT NULL,
    resource_spec    TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    usage_factor     TEXT    NOT NULL,
    usage_e8         INTEGER NOT NULL CHECK (usage_e8 >= 0),
    usage_measure_id INTEGER NOT NULL,
    amount_e8        INTEGER NOT NULL CHECK (amount_e8 >= 0),
    cycle            INTEGER NOT NULL,
    ended_at_ms      INTEGER NOT NULL,
    ingested_at_ms   INTEGER NOT NULL
);
CREATE INDEX usage_records_customer_cycle ON usage_records (customer_id, cycle, amount_e8);
CREATE INDEX usage_records_customer_time ON usage_records (customer_id, ended_at_ms, amount_e8);
CREATE INDEX usage_records_partner ON usage_records (partner_id, model, amount_e8);

-- Budget and quota notices sent (issue #6): one per subject, period and threshold, so each is
-- sent once even when batches race. `period` is the billing cycle (yyyymm) for a monthly
-- budget, the set time (ms) of a package budget, 0 for the partner's quota.
CREATE TABLE spend_notices (
    kind        TEXT    NOT NULL CHECK (kind IN ('budget', 'quota')),
    subject_id  TEXT    NOT NULL,
    period      INTEGER NOT NULL,
    threshold   INTEGER NOT NULL,
    notified_at_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, subject_id, period, threshold)
);
