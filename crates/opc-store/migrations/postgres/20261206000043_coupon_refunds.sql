-- R-CPN-10 (issue #15): a renewal period or a purchase not yet in effect, unsubscribed after the
-- partner's bill paid its order with a held coupon, gives the coupon back its share: a coupon
-- entry of the kind 'refund', the hold's running total of what it gave back, and a record the
-- bill of the unsubscription's month reads to keep that share from the partner's refund.
ALTER TABLE coupon_entries DROP CONSTRAINT coupon_entries_kind_check;
ALTER TABLE coupon_entries ADD CONSTRAINT coupon_entries_kind_check
    CHECK (kind IN ('issue', 'deduct', 'reclaim', 'expire', 'refund'));

ALTER TABLE order_coupons ADD COLUMN refunded_e8 BIGINT NOT NULL DEFAULT 0 CHECK (refunded_e8 >= 0);

CREATE TABLE coupon_refunds (
    entry_id           TEXT    PRIMARY KEY REFERENCES coupon_entries (id),
    coupon_id          TEXT    NOT NULL REFERENCES coupons (id),
    partner_id         TEXT    NOT NULL REFERENCES partners (id),
    customer_id        TEXT    NOT NULL REFERENCES accounts (id),
    order_id           TEXT    NOT NULL REFERENCES orders (id),
    unsubscription_id  TEXT    NOT NULL REFERENCES orders (id),
    service_type       TEXT    NOT NULL,
    cycle              BIGINT  NOT NULL,
    amount_e8          BIGINT  NOT NULL CHECK (amount_e8 > 0),
    at_ms              BIGINT  NOT NULL
);
CREATE INDEX coupon_refunds_bill ON coupon_refunds (partner_id, cycle);
CREATE FUNCTION coupon_refunds_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'coupon refunds are append-only';
END $$;
CREATE TRIGGER coupon_refunds_append_only BEFORE UPDATE OR DELETE ON coupon_refunds
    FOR EACH ROW EXECUTE FUNCTION coupon_refunds_append_only();
