-- Resource packages (issue 16; B1.7.2, B1.7.3, B1.8.4): what a paid package order grants —
-- a quantity of one usage type, once for the term or each billing month. The term is the
-- bought resource's (its id is the package's): renewals extend it, an unsubscription closes it.
CREATE TABLE resource_packages (
    id             TEXT     PRIMARY KEY REFERENCES resources (id),
    customer_id    TEXT     NOT NULL REFERENCES accounts (id),
    order_id       TEXT     NOT NULL,
    product_id     TEXT     NOT NULL,
    product_name   TEXT     NOT NULL,
    service_type   TEXT     NOT NULL,
    region         TEXT     NOT NULL,
    resource_type  TEXT     NOT NULL,
    usage_type     TEXT     NOT NULL,
    measure_id     BIGINT   NOT NULL,
    amount_e8      BIGINT   NOT NULL CHECK (amount_e8 > 0),
    reset          TEXT     NOT NULL CHECK (reset IN ('never', 'monthly')),
    created_at_ms  BIGINT   NOT NULL
);
CREATE INDEX resource_packages_customer ON resource_packages (customer_id, id);

-- A package's use per period (0 for a package granted once, the cycle yyyymm for a monthly
-- one): a running total, written only from the value read (compare and set).
CREATE TABLE resource_package_uses (
    package_id  TEXT     NOT NULL REFERENCES resource_packages (id),
    period      BIGINT   NOT NULL,
    used_e8     BIGINT   NOT NULL CHECK (used_e8 >= 0),
    PRIMARY KEY (package_id, period)
);

-- What each usage record took from each package (append-only).
CREATE TABLE resource_package_records (
    record_id       TEXT     NOT NULL,
    package_id      TEXT     NOT NULL REFERENCES resource_packages (id),
    customer_id     TEXT     NOT NULL,
    resource_id     TEXT     NOT NULL,
    resource_type   TEXT     NOT NULL,
    usage_type      TEXT     NOT NULL,
    measure_id      BIGINT   NOT NULL,
    period          BIGINT   NOT NULL,
    available_e8    BIGINT   NOT NULL CHECK (available_e8 >= 0),
    used_e8         BIGINT   NOT NULL CHECK (used_e8 > 0),
    remaining_e8    BIGINT   NOT NULL CHECK (remaining_e8 >= 0),
    deducted_at_ms  BIGINT   NOT NULL,
    PRIMARY KEY (record_id, package_id)
);
CREATE INDEX resource_package_records_customer ON resource_package_records (customer_id, deducted_at_ms);
CREATE FUNCTION resource_package_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'resource package records are append-only';
END $$;
CREATE TRIGGER resource_package_records_append_only BEFORE UPDATE OR DELETE ON resource_package_records
    FOR EACH ROW EXECUTE FUNCTION resource_package_records_append_only();

-- R-ORD-07: 5-minute bandwidth samples of the products billed at the 95th percentile, one per
-- resource, usage type and instant; a month's are billed at their 95th percentile.
CREATE TABLE bandwidth_samples (
    customer_id    TEXT     NOT NULL REFERENCES accounts (id),
    resource_id    TEXT     NOT NULL,
    usage_type     TEXT     NOT NULL,
    stat_at_ms     BIGINT   NOT NULL,
    service_type   TEXT     NOT NULL,
    resource_type  TEXT     NOT NULL,
    spec           TEXT     NOT NULL,
    region         TEXT     NOT NULL,
    measure_id     BIGINT   NOT NULL,
    cycle          BIGINT   NOT NULL,
    usage_e8       BIGINT   NOT NULL CHECK (usage_e8 >= 0),
    PRIMARY KEY (customer_id, resource_id, usage_type, stat_at_ms)
);
CREATE INDEX bandwidth_samples_cycle ON bandwidth_samples (customer_id, cycle, service_type, resource_type, usage_type);
