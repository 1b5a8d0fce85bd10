-- EMA-7 (issue 16): an enterprise master gives part of its coupons to its unified-accounting
-- members and takes back what is left. A member's coupon names the master's coupon it was given
-- from; the two ledger movements on the master's coupon are new kinds of entry.
ALTER TABLE coupons ADD COLUMN parent_coupon_id TEXT REFERENCES coupons (id);
CREATE INDEX coupons_parent ON coupons (parent_coupon_id) WHERE parent_coupon_id IS NOT NULL;

-- SQLite cannot change a CHECK: the ledger is copied into a table that allows the new kinds.
CREATE TABLE coupon_entries_v3 (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    coupon_id         TEXT    NOT NULL REFERENCES coupons (id),
    kind              TEXT    NOT NULL
        CHECK (kind IN ('issue', 'deduct', 'reclaim', 'expire', 'refund', 'member_grant', 'member_return')),
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER NOT NULL CHECK (balance_after_e8 >= 0),
    trade             TEXT    NOT NULL,
    at_ms             INTEGER NOT NULL
);
INSERT INTO coupon_entries_v3 (seq, id, coupon_id, kind, amount_e8, balance_after_e8, trade, at_ms)
    SELECT seq, id, coupon_id, kind, amount_e8, balance_after_e8, trade, at_ms FROM coupon_entries ORDER BY seq;
DROP TABLE coupon_entries;
ALTER TABLE coupon_entries_v3 RENAME TO coupon_entries;
CREATE INDEX coupon_entries_coupon ON coupon_entries (coupon_id, at_ms);
CREATE TRIGGER coupon_entries_append_only_update BEFORE UPDATE ON coupon_entries BEGIN
    SELECT RAISE(ABORT, 'coupon entries are append-only');
END;
CREATE TRIGGER coupon_entries_append_only_delete BEFORE DELETE ON coupon_entries BEGIN
    SELECT RAISE(ABORT, 'coupon entries are append-only');
END;
