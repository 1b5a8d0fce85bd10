-- Yearly/monthly orders and resources (issue #6; B1.6, B1.7). An order's lines each place,
-- renew or refund one resource; a resource's terms are the lines of its paid purchase and
-- renewal orders. `partner_id`/`model`: the customer's association when the order was placed.
CREATE TABLE orders (
    id            TEXT    PRIMARY KEY,
    customer_id   TEXT    NOT NULL REFERENCES accounts (id),
    partner_id    TEXT    REFERENCES partners (id),
    model         TEXT    CHECK (model IN ('referral', 'reseller')),
    order_type    BIGINT  NOT NULL CHECK (order_type IN (1, 2, 4)),
    status        BIGINT  NOT NULL CHECK (status IN (4, 5, 6)),
    source        BIGINT  NOT NULL CHECK (source IN (1, 2, 8)),
    user_name     TEXT    NOT NULL,
    service_type  TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    pay_by_ms     BIGINT  NOT NULL,
    paid_at_ms    BIGINT ,
    version       BIGINT  NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, created_at_ms);
CREATE INDEX orders_partner ON orders (partner_id, created_at_ms);

CREATE TABLE order_lines (
    id              TEXT    PRIMARY KEY,
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    position        BIGINT  NOT NULL,
    resource_id     TEXT    NOT NULL,
    parent_resource TEXT,
    service_type    TEXT    NOT NULL,
    resource_type   TEXT    NOT NULL,
    resource_spec   TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    size            BIGINT ,
    period_type     BIGINT  CHECK (period_type IN (2, 3)),
    period_num      BIGINT ,
    official_e8     BIGINT  NOT NULL,
    -- An unsubscription line: the used part of the refunded term, kept (≥ 0).
    consumed_e8     BIGINT  NOT NULL,
    effective_at_ms BIGINT ,
    expire_at_ms    BIGINT ,
    base_order_id   TEXT
);
CREATE INDEX order_lines_order ON order_lines (order_id, position);
CREATE INDEX order_lines_resource ON order_lines (resource_id);

CREATE TABLE resources (
    id               TEXT    PRIMARY KEY,
    customer_id      TEXT    NOT NULL REFERENCES accounts (id),
    order_id         TEXT    NOT NULL REFERENCES orders (id),
    parent_id        TEXT,
    service_type     TEXT    NOT NULL,
    resource_type    TEXT    NOT NULL,
    resource_spec    TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    size             BIGINT ,
    period_type      BIGINT  NOT NULL CHECK (period_type IN (2, 3)),
    closed           BOOLEAN NOT NULL,
    effective_at_ms  BIGINT  NOT NULL,
    expire_at_ms     BIGINT  NOT NULL,
    expire_policy    BIGINT  NOT NULL CHECK (expire_policy IN (0, 1, 3)),
    renew_period     BIGINT  CHECK (renew_period IN (2, 3)),
    renew_times      BIGINT ,
    updated_at_ms    BIGINT  NOT NULL,
    version          BIGINT  NOT NULL
);
CREATE INDEX resources_customer ON resources (customer_id, effective_at_ms);
CREATE INDEX resources_due ON resources (closed, expire_at_ms);

-- What paid and unsubscribed orders add to a customer's spend at list price (refunds are
-- negative), in the cycle (yyyymm, billing time zone) they happened: with `usage_records`, the
-- spend that budgets and the partner's consumption quota weigh.
CREATE TABLE order_charges (
    id            TEXT    PRIMARY KEY,
    order_id      TEXT    NOT NULL REFERENCES orders (id),
    customer_id   TEXT    NOT NULL REFERENCES accounts (id),
    partner_id    TEXT    REFERENCES partners (id),
    model         TEXT    CHECK (model IN ('referral', 'reseller')),
    amount_e8     BIGINT  NOT NULL,
    cycle         BIGINT  NOT NULL,
    charged_at_ms BIGINT  NOT NULL
);
CREATE INDEX order_charges_customer ON order_charges (customer_id, cycle, amount_e8);
CREATE INDEX order_charges_partner ON order_charges (partner_id, model, amount_e8);

-- B1.7.9: a customer's renewal settings.
CREATE TABLE renew_configs (
    customer_id    TEXT    PRIMARY KEY REFERENCES accounts (id),
    deduction_days BIGINT ,
    expire_day     BIGINT ,
    updated_at_ms  BIGINT  NOT NULL
);
