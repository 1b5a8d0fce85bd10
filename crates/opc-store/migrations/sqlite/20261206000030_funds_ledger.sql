-- Issue 14, funds: cash balances and the append-only ledger that moves them. A balance is the
-- sum of its holder's entries, kept as a running total written in the same transaction as the
-- entries (with a version for the optimistic check); entries are never updated or deleted.
CREATE TABLE balances (
    holder_kind TEXT    NOT NULL CHECK (holder_kind IN ('partner', 'customer')),
    holder_id   TEXT    NOT NULL,
    amount_e8   INTEGER NOT NULL CHECK (amount_e8 >= 0),
    version     INTEGER NOT NULL,
    PRIMARY KEY (holder_kind, holder_id)
) WITHOUT ROWID;

CREATE TABLE ledger_entries (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    holder_kind       TEXT    NOT NULL CHECK (holder_kind IN ('partner', 'customer')),
    holder_id         TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('payment', 'adjustment', 'bill_deduction', 'allocation', 'reclaim', 'unbind')),
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER NOT NULL CHECK (balance_after_e8 >= 0),
    transfer_id       TEXT    NOT NULL,
    counterpart_kind  TEXT    CHECK (counterpart_kind IN ('partner', 'customer')),
    counterpart_id    TEXT,
    at_ms             INTEGER NOT NULL,
    memo              TEXT    NOT NULL
);
CREATE INDEX ledger_entries_holder ON ledger_entries (holder_kind, holder_id, at_ms);
CREATE INDEX ledger_entries_transfer ON ledger_entries (transfer_id);
CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
