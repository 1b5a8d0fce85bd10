-- R-CPN-05 (issue #15): a partner's remaining coupon quota is converted into a cash coupon of
-- the partner's once its bill of the month is generated; the quota's ledger records where the
-- balance went ('conversion', naming the coupon).

-- SQLite cannot change a CHECK: the ledger is copied into a table that allows 'conversion'.
CREATE TABLE coupon_quota_entries_v2 (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    quota_id          TEXT    NOT NULL REFERENCES coupon_quotas (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('grant', 'quota_issue', 'quota_reclaim', 'coupon_issue', 'coupon_reclaim', 'coupon_expiry', 'conversion')),
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER NOT NULL CHECK (balance_after_e8 >= 0),
    counterpart_id    TEXT,
    transfer_id       TEXT    NOT NULL,
    at_ms             INTEGER NOT NULL,
    operator          TEXT    NOT NULL,
    remark            TEXT    NOT NULL
);
INSERT INTO coupon_quota_entries_v2
    (seq, id, quota_id, kind, amount_e8, balance_after_e8, counterpart_id, transfer_id, at_ms, operator, remark)
    SELECT seq, id, quota_id, kind, amount_e8, balance_after_e8, counterpart_id, transfer_id, at_ms, operator, remark
    FROM coupon_quota_entries ORDER BY seq;
DROP TABLE coupon_quota_entries;
ALTER TABLE coupon_quota_entries_v2 RENAME TO coupon_quota_entries;
CREATE INDEX coupon_quota_entries_quota ON coupon_quota_entries (quota_id, at_ms);
CREATE TRIGGER coupon_quota_entries_append_only_update BEFORE UPDATE ON coupon_quota_entries BEGIN
    SELECT RAISE(ABORT, 'coupon quota entries are append-only');
END;
CREATE TRIGGER coupon_quota_entries_append_only_delete BEFORE DELETE ON coupon_quota_entries BEGIN
    SELECT RAISE(ABORT, 'coupon quota entries are append-only');
END;
