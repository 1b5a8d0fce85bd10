-- Issue 15, coupons: coupon quotas passed down the channel, partners' cash coupons, and the
-- append-only ledgers that move their balances (a balance is the sum of its entries, kept as a
-- running total written in the same transaction, with a version for the optimistic check).
CREATE TABLE coupon_quotas (
    id               TEXT    PRIMARY KEY,
    partner_id       TEXT    NOT NULL REFERENCES partners (id),
    parent_id        TEXT    REFERENCES coupon_quotas (id),
    grantor_id       TEXT,
    value_e8         INTEGER NOT NULL CHECK (value_e8 > 0),
    balance_e8       INTEGER NOT NULL CHECK (balance_e8 >= 0),
    effective_at_ms  INTEGER NOT NULL,
    expire_at_ms     INTEGER NOT NULL,
    service_types    TEXT    NOT NULL,
    products         TEXT    NOT NULL,
    reclaimed        BOOLEAN NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    updated_at_ms    INTEGER NOT NULL,
    version          INTEGER NOT NULL
);
CREATE INDEX coupon_quotas_partner ON coupon_quotas (partner_id, created_at_ms);
CREATE INDEX coupon_quotas_parent ON coupon_quotas (parent_id);

CREATE TABLE coupon_quota_entries (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    quota_id          TEXT    NOT NULL REFERENCES coupon_quotas (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('grant', 'quota_issue', 'quota_reclaim', 'coupon_issue', 'coupon_reclaim', 'coupon_expiry')),
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER NOT NULL CHECK (balance_after_e8 >= 0),
    counterpart_id    TEXT,
    transfer_id       TEXT    NOT NULL,
    at_ms             INTEGER NOT NULL,
    operator          TEXT    NOT NULL,
    remark            TEXT    NOT NULL
);
CREATE INDEX coupon_quota_entries_quota ON coupon_quota_entries (quota_id, at_ms);
CREATE TRIGGER coupon_quota_entries_append_only_update BEFORE UPDATE ON coupon_quota_entries BEGIN
    SELECT RAISE(ABORT, 'coupon quota entries are append-only');
END;
CREATE TRIGGER coupon_quota_entries_append_only_delete BEFORE DELETE ON coupon_quota_entries BEGIN
    SELECT RAISE(ABORT, 'coupon quota entries are append-only');
END;

CREATE TABLE coupons (
    id               TEXT    PRIMARY KEY,
    partner_id       TEXT    NOT NULL REFERENCES partners (id),
    customer_id      TEXT    REFERENCES accounts (id),
    grantor_id       TEXT,
    quota_id         TEXT    REFERENCES coupon_quotas (id),
    face_value_e8    INTEGER NOT NULL CHECK (face_value_e8 > 0),
    balance_e8       INTEGER NOT NULL CHECK (balance_e8 >= 0),
    effective_at_ms  INTEGER NOT NULL,
    expire_at_ms     INTEGER NOT NULL,
    service_types    TEXT    NOT NULL,
    products         TEXT    NOT NULL,
    memo             TEXT    NOT NULL,
    closure          TEXT    CHECK (closure IN ('reclaimed', 'expired')),
    created_at_ms    INTEGER NOT NULL,
    last_used_at_ms  INTEGER,
    version          INTEGER NOT NULL
);
CREATE INDEX coupons_partner ON coupons (partner_id, created_at_ms);
CREATE INDEX coupons_customer ON coupons (customer_id, created_at_ms);
CREATE INDEX coupons_quota ON coupons (quota_id);
CREATE INDEX coupons_expiring ON coupons (expire_at_ms) WHERE closure IS NULL;

CREATE TABLE coupon_entries (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    coupon_id         TEXT    NOT NULL REFERENCES coupons (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('issue', 'deduct', 'reclaim', 'expire')),
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER NOT NULL CHECK (balance_after_e8 >= 0),
    trade             TEXT    NOT NULL,
    at_ms             INTEGER NOT NULL
);
CREATE INDEX coupon_entries_coupon ON coupon_entries (coupon_id, at_ms);
CREATE TRIGGER coupon_entries_append_only_update BEFORE UPDATE ON coupon_entries BEGIN
    SELECT RAISE(ABORT, 'coupon entries are append-only');
END;
CREATE TRIGGER coupon_entries_append_only_delete BEFORE DELETE ON coupon_entries BEGIN
    SELECT RAISE(ABORT, 'coupon entries are append-only');
END;

-- R-CPN-03: what coupons paid of a partner bill and of each of its lines.
ALTER TABLE partner_bills ADD COLUMN coupons_e8 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE partner_bill_lines ADD COLUMN coupon_e8 INTEGER NOT NULL DEFAULT 0;
