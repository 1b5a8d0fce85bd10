-- Test coupons (issue 15, R-CPN-15 … R-CPN-24, R-NOTIF-04). A coupon is cash or test money; a
-- test coupon is issued when the operator approves a test-coupon request. What test coupons paid
-- of a partner bill is kept apart from what cash coupons paid (R-CPN-19: not partner revenue).
ALTER TABLE coupons ADD COLUMN kind TEXT NOT NULL DEFAULT 'cash' CHECK (kind IN ('cash', 'test'));
ALTER TABLE partner_bills ADD COLUMN test_coupons_e8 BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE partner_bill_lines ADD COLUMN test_coupon_e8 BIGINT  NOT NULL DEFAULT 0;

-- One row per partner that requested test coupons: its version moves with each new request, so
-- two requests decided on the same read cannot together pass the tier's limit (R-CPN-23).
CREATE TABLE test_coupon_benefits (
    partner_id  TEXT    PRIMARY KEY REFERENCES partners (id),
    version     BIGINT  NOT NULL
);

CREATE TABLE test_coupon_requests (
    id                        TEXT    PRIMARY KEY,
    partner_id                TEXT    NOT NULL REFERENCES partners (id),
    origin                    TEXT    NOT NULL CHECK (origin IN ('partner', 'project')),
    customer_id               TEXT    REFERENCES accounts (id),
    project_background        TEXT,
    expected_order_at_ms      BIGINT,
    expected_order_amount_e8  BIGINT,
    amount_e8                 BIGINT  NOT NULL CHECK (amount_e8 > 0),
    resource_config           TEXT    NOT NULL,
    purpose                   TEXT    NOT NULL,
    duration_days             BIGINT  NOT NULL CHECK (duration_days > 0),
    status                    TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    coupon_id                 TEXT    REFERENCES coupons (id),
    reason                    TEXT,
    decided_at_ms             BIGINT,
    decided_by                TEXT,
    requested_at_ms           BIGINT  NOT NULL,
    requested_by              TEXT    NOT NULL,
    version                   BIGINT  NOT NULL,
    CHECK ((origin = 'project') = (customer_id IS NOT NULL))
);
CREATE INDEX test_coupon_requests_partner ON test_coupon_requests (partner_id, requested_at_ms);
CREATE INDEX test_coupon_requests_status ON test_coupon_requests (status, requested_at_ms);

-- Test-coupon notices sent (R-CPN-18, R-NOTIF-04): each (coupon, kind, period) once, whichever
-- process gets there first.
CREATE TABLE test_coupon_notices (
    coupon_id       TEXT    NOT NULL REFERENCES coupons (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('low_balance', 'reminder')),
    period          BIGINT  NOT NULL,
    notified_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (coupon_id, kind, period)
);
CREATE INDEX coupons_open_kind ON coupons (kind, expire_at_ms) WHERE closure IS NULL;
