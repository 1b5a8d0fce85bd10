-- R-CPN-10 (issue #15): a renewal period or a purchase not yet in effect, unsubscribed after the
-- partner's bill paid its order with a held coupon, gives the coupon back its share: a coupon
-- entry of the kind 'refund', the hold's running total of what it gave back, and a record the
-- bill of the unsubscription's month reads to keep that share from the partner's refund.

-- SQLite cannot change a CHECK: the ledger is copied into a table that allows 'refund'.
CREATE TABLE coupon_entries_v2 (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    coupon_id         TEXT    NOT NULL REFERENCES coupons (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('issue', 'deduct', 'reclaim', 'expire', 'refund')),
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER NOT NULL CHECK (balance_after_e8 >= 0),
    trade             TEXT    NOT NULL,
    at_ms             INTEGER NOT NULL
);
INSERT INTO coupon_entries_v2 (seq, id, coupon_id, kind, amount_e8, balance_after_e8, trade, at_ms)
    SELECT seq, id, coupon_id, kind, amount_e8, balance_after_e8, trade, at_ms FROM coupon_entries ORDER BY seq;
DROP TABLE coupon_entries;
ALTER TABLE coupon_entries_v2 RENAME TO coupon_entries;
CREATE INDEX coupon_entries_coupon ON coupon_entries (coupon_id, at_ms);
CREATE TRIGGER coupon_entries_append_only_update BEFORE UPDATE ON coupon_entries BEGIN
    SELECT RAISE(ABORT, 'coupon entries are append-only');
END;
CREATE TRIGGER coupon_entries_append_only_delete BEFORE DELETE ON coupon_entries BEGIN
    SELECT RAISE(ABORT, 'coupon entries are append-only');
END;

ALTER TABLE order_coupons ADD COLUMN refunded_e8 INTEGER NOT NULL DEFAULT 0 CHECK (refunded_e8 >= 0);

CREATE TABLE coupon_refunds (
    entry_id           TEXT    PRIMARY KEY REFERENCES coupon_entries (id),
    coupon_id          TEXT    NOT NULL REFERENCES coupons (id),
    partner_id         TEXT    NOT NULL REFERENCES partners (id),
    customer_id        TEXT    NOT NULL REFERENCES accounts (id),
    order_id           TEXT    NOT NULL REFERENCES orders (id),
    unsubscription_id  TEXT    NOT NULL REFERENCES orders (id),
    service_type       TEXT    NOT NULL,
    cycle              INTEGER NOT NULL,
    amount_e8          INTEGER NOT NULL CHECK (amount_e8 > 0),
    at_ms              INTEGER NOT NULL
);
CREATE INDEX coupon_refunds_bill ON coupon_refunds (partner_id, cycle);
CREATE TRIGGER coupon_refunds_append_only_update BEFORE UPDATE ON coupon_refunds BEGIN
    SELECT RAISE(ABORT, 'coupon refunds are append-only');
END;
CREATE TRIGGER coupon_refunds_append_only_delete BEFORE DELETE ON coupon_refunds BEGIN
    SELECT RAISE(ABORT, 'coupon refunds are append-only');
END;
