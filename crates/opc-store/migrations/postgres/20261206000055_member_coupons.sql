-- EMA-7 (issue 16): an enterprise master gives part of its coupons to its unified-accounting
-- members and takes back what is left. A member's coupon names the master's coupon it was given
-- from; the two ledger movements on the master's coupon are new kinds of entry.
ALTER TABLE coupons ADD COLUMN parent_coupon_id TEXT REFERENCES coupons (id);
CREATE INDEX coupons_parent ON coupons (parent_coupon_id) WHERE parent_coupon_id IS NOT NULL;

ALTER TABLE coupon_entries DROP CONSTRAINT coupon_entries_kind_check;
ALTER TABLE coupon_entries ADD CONSTRAINT coupon_entries_kind_check
    CHECK (kind IN ('issue', 'deduct', 'reclaim', 'expire', 'refund', 'member_grant', 'member_return'));
