-- R-CPN-01, R-CPN-12 (issue #15): a cash coupon the operator gives may be limited to billing
-- modes ('period', 'on_demand', comma-separated; empty: both) and to a share of each bill line
-- or order it pays (its usage-limit ratio, in basis points; NULL: all of it).
ALTER TABLE coupons ADD COLUMN billing_modes TEXT NOT NULL DEFAULT '';
ALTER TABLE coupons ADD COLUMN max_share_bp BIGINT CHECK (max_share_bp > 0 AND max_share_bp <= 10000);
