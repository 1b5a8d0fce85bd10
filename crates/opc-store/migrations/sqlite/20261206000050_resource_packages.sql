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
    measure_id     INTEGER  NOT NULL,
    amount_e8      INTEGER  NOT NULL CHECK (amount_e8 > 0),
    reset          TEXT     NOT NULL CHECK (reset IN ('never', 'monthly')),
    created_at_ms  INTEGER  NOT NULL
);
CREATE INDEX resource_packages_customer ON resource_packages (customer_id, id);

-- A package's use per period (0 for a package granted once, the cycle yyyymm for a monthly
-- one): a running total, written only from the value read (compare and set).
CREATE TABLE resource_package_uses (
    package_id  TEXT     NOT NULL REFERENCES resource_packages (id),
    period      INTEGER  NOT NULL,
    used_e8     INTEGER  NOT NULL CHECK (used_e8 >= 0),
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
    measure_id      INTEGER  NOT NULL,
    period          INTEGER  NOT NULL,
    available_e8    INTEGER  NOT NULL CHECK (available_e8 >= 0),
    used_e8         INTEGER  NOT NULL CHECK (used_e8 > 0),
    remaining_e8    INTEGER  NOT NULL CHECK (remaining_e8 >= 0),
    deducted_at_ms  INTEGER  NOT NULL,
    PRIMARY KEY (record_id, package_id)
);
CREATE INDEX resource_package_records_customer ON resource_package_records (customer_id, deducted_at_ms);
CREATE TRIGGER resource_package_records_append_only_update BEFORE UPDATE ON resource_package_records BEGIN
    SELECT RAISE(ABORT, 'resource package records are append-only');
END;
CREATE TRIGGER resource_package_records_append_only_delete BEFORE DELETE ON resource_package_records BEGIN
    SELECT RAISE(ABORT, 'resource package records are append-only');
END;

-- R-ORD-07: 5-minute bandwidth samples of the products billed at the 95th percentile, one per
-- resource, usage type and instant; a month's are billed at their 95th percentile.
CREATE TABLE bandwidth_samples (
    customer_id    TEXT     NOT NULL REFERENCES accounts (id),
    resource_id    TEXT     NOT NULL,
    usage_type     TEXT     NOT NULL,
    stat_at_ms     INTEGER  NOT NULL,
    service_type   TEXT     NOT NULL,
    resource_type  TEXT     NOT NULL,
    spec           TEXT     NOT NULL,
    region         TEXT     NOT NULL,
    measure_id     INTEGER  NOT NULL,
    cycle          INTEGER  NOT NULL,
    usage_e8       INTEGER  NOT NULL CHECK (usage_e8 >= 0),
    PRIMARY KEY (customer_id, resource_id, usage_type, stat_at_ms)
);
CREATE INDEX bandwidth_samples_cycle ON bandwidth_samples (customer_id, cycle, service_type, resource_type, usage_type);
