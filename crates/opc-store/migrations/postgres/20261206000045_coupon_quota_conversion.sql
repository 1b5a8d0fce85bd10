-- R-CPN-05 (issue #15): a partner's remaining coupon quota is converted into a cash coupon of
-- the partner's once its bill of the month is generated; the quota's ledger records where the
-- balance went ('conversion', naming the coupon).
ALTER TABLE coupon_quota_entries DROP CONSTRAINT coupon_quota_entries_kind_check;
ALTER TABLE coupon_quota_entries ADD CONSTRAINT coupon_quota_entries_kind_check
    CHECK (kind IN ('grant', 'quota_issue', 'quota_reclaim', 'coupon_issue', 'coupon_reclaim', 'coupon_expiry', 'conversion'));
