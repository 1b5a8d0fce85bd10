-- Issue 15, the price trace: which coupons paid each partner bill line and how much, as JSON
-- [[coupon id, e8, test, order id or null], …]; '[]' on lines billed before (their coupon
-- amounts stand, not itemized).
ALTER TABLE partner_bill_lines ADD COLUMN coupon_uses TEXT NOT NULL DEFAULT '[]';
