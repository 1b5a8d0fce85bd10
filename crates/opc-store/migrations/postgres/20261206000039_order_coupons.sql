-- R-CPN-02, R-CPN-04 (issue #15): a cash coupon named when an order is paid is held for that
-- order (B2.6.1 `used_by_order_id`) until the partner's bill of the order's month is generated,
-- which deducts it against the order first; unsubscribing the order's term before it took
-- effect releases it unused (R-CPN-10).
ALTER TABLE coupons ADD COLUMN held_by_order TEXT;

CREATE TABLE order_coupons (
    order_id     TEXT    PRIMARY KEY REFERENCES orders (id),
    coupon_id    TEXT    NOT NULL REFERENCES coupons (id),
    partner_id   TEXT    NOT NULL REFERENCES partners (id),
    customer_id  TEXT    NOT NULL REFERENCES accounts (id),
    cycle        BIGINT  NOT NULL,
    -- The order's charge at list price per cloud service type: JSON [[service type, e8], …].
    parts        TEXT    NOT NULL,
    held_at_ms   BIGINT  NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('held', 'paid', 'released')),
    paid_e8      BIGINT  CHECK (paid_e8 >= 0),
    ended_at_ms  BIGINT,
    CHECK ((state = 'held') = (ended_at_ms IS NULL)),
    CHECK ((state = 'paid') = (paid_e8 IS NOT NULL))
);
CREATE INDEX order_coupons_held ON order_coupons (partner_id, cycle) WHERE state = 'held';
CREATE INDEX order_coupons_coupon ON order_coupons (coupon_id);
