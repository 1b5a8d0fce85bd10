-- Pay-per-use usage rated at list price (SQLite), issue #6. The record id, given by the
-- metering system, makes ingestion idempotent. `partner_id` is the customer's partner when the
-- record was rated; `cycle` the billing month (yyyymm) in the billing time zone.
CREATE TABLE usage_records (
    id               TEXT    PRIMARY KEY,
    customer_id      TEXT    NOT NULL REFERENCES accounts (id),
    partner_id       TEXT    REFERENCES partners (id),
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
