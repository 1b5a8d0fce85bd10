-- Issue 14, funds: cash balances and the append-only ledger that moves them. A balance is the
-- sum of its holder's entries, kept as a running total written in the same transaction as the
-- entries (with a version for the optimistic check); entries are never updated or deleted.
CREATE TABLE balances (
    holder_kind TEXT    NOT NULL CHECK (holder_kind IN ('partner', 'customer')),
    holder_id   TEXT    NOT NULL,
    amount_e8   BIGINT  NOT NULL CHECK (amount_e8 >= 0),
    version     BIGINT  NOT NULL,
    PRIMARY KEY (holder_kind, holder_id)
);

CREATE TABLE ledger_entries (
    seq               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    holder_kind       TEXT    NOT NULL CHECK (holder_kind IN ('partner', 'customer')),
    holder_id         TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('payment', 'adjustment', 'bill_deduction', 'allocation', 'reclaim', 'unbind')),
    amount_e8         BIGINT  NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  BIGINT  NOT NULL CHECK (balance_after_e8 >= 0),
    transfer_id       TEXT    NOT NULL,
    counterpart_kind  TEXT    CHECK (counterpart_kind IN ('partner', 'customer')),
    counterpart_id    TEXT,
    at_ms             BIGINT  NOT NULL,
    memo              TEXT    NOT NULL
);
CREATE INDEX ledger_entries_holder ON ledger_entries (holder_kind, holder_id, at_ms);
CREATE INDEX ledger_entries_transfer ON ledger_entries (transfer_id);
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
