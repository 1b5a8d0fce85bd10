-- Issue 15, partner discounts for referral customers (R-CPN-25 … R-CPN-33): the operator's
-- policy per cloud service type (the list partner discounts apply to, and its exclusions),
-- the scope it authorizes each partner per service type, the discounts partners set, and what
-- a discount took off each line of a paid order (the price trace: list → discount → due).
CREATE TABLE discount_policies (
    service_type    TEXT    PRIMARY KEY,
    allow_discount  BOOLEAN NOT NULL,
    incentive       TEXT    NOT NULL CHECK (incentive IN ('non_specific', 'specific', 'no_performance_no_rebate', 'performance_no_rebate')),
    exclusion       TEXT    CHECK (exclusion IN ('spot', 'koogallery', 'ocsa_node')),
    updated_at_ms   BIGINT  NOT NULL
);

CREATE TABLE discount_scopes (
    partner_id      TEXT    NOT NULL REFERENCES partners (id),
    service_type    TEXT    NOT NULL,
    max_off_bp      INTEGER NOT NULL CHECK (max_off_bp > 0 AND max_off_bp <= 10000),
    from_ms         BIGINT  NOT NULL,
    granted_by      TEXT    NOT NULL,
    updated_at_ms   BIGINT  NOT NULL,
    version         BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, service_type)
);

-- customer_id and order_id are '' when the discount names none, so that the unique target
-- (one discount per partner, kind, customer, order and service type) holds without NULLs.
CREATE TABLE partner_discounts (
    id              TEXT    PRIMARY KEY,
    partner_id      TEXT    NOT NULL REFERENCES partners (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('general', 'special')),
    customer_id     TEXT    NOT NULL,
    order_id        TEXT    NOT NULL,
    service_type    TEXT    NOT NULL,
    off_bp          INTEGER NOT NULL CHECK (off_bp > 0 AND off_bp <= 10000),
    created_at_ms   BIGINT  NOT NULL,
    updated_at_ms   BIGINT  NOT NULL,
    version         BIGINT  NOT NULL,
    UNIQUE (partner_id, kind, customer_id, order_id, service_type)
);
CREATE INDEX partner_discounts_customer ON partner_discounts (customer_id);
CREATE INDEX partner_discounts_order ON partner_discounts (order_id);

CREATE TABLE order_line_discounts (
    line_id         TEXT    PRIMARY KEY REFERENCES order_lines (id),
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    discount_id     TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('general', 'special')),
    service_type    TEXT    NOT NULL,
    off_bp          INTEGER NOT NULL CHECK (off_bp > 0 AND off_bp <= 10000),
    list_e8         BIGINT  NOT NULL,
    discount_e8     BIGINT  NOT NULL,
    due_e8          BIGINT  NOT NULL,
    CHECK (due_e8 = list_e8 - discount_e8)
);
CREATE INDEX order_line_discounts_order ON order_line_discounts (order_id);
