-- Reseller customer management (PostgreSQL): passwords, budgets and their history, verification
-- codes, and the notification outbox. Same conventions as the foundation migration.

ALTER TABLE accounts ADD COLUMN password_hash TEXT;
ALTER TABLE accounts ADD COLUMN marketing_opt_out BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX accounts_email ON accounts (lower(email));
CREATE INDEX accounts_phone ON accounts (phone);

-- The credit limit the provider grants the partner (R-QUOTA-01).
ALTER TABLE partners ADD COLUMN consumption_quota_e8 BIGINT NOT NULL DEFAULT 0;

-- A reseller customer's current budget.
CREATE TABLE budgets (
    customer_id TEXT    PRIMARY KEY REFERENCES accounts (id),
    partner_id  TEXT    NOT NULL REFERENCES partners (id),
    budget_type TEXT    NOT NULL CHECK (budget_type IN ('monthly', 'package')),
    amount_e8   BIGINT  NOT NULL CHECK (amount_e8 > 0),
    auto_freeze BOOLEAN,
    set_at_ms   BIGINT  NOT NULL,
    version     BIGINT  NOT NULL
);

-- Append-only history of budget settings and removals.
CREATE TABLE budget_records (
    seq                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id          TEXT    NOT NULL REFERENCES accounts (id),
    partner_id           TEXT    NOT NULL REFERENCES partners (id),
    operation            TEXT    NOT NULL CHECK (operation IN ('setting', 'delete')),
    budget_type          TEXT    NOT NULL CHECK (budget_type IN ('monthly', 'package')),
    amount_e8            BIGINT  NOT NULL,
    operator             TEXT    NOT NULL,
    partner_corp_name    TEXT    NOT NULL,
    partner_account_name TEXT    NOT NULL,
    at_ms                BIGINT  NOT NULL
);
CREATE INDEX budget_records_customer ON budget_records (partner_id, customer_id, seq);

CREATE TABLE verification_codes (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT    NOT NULL,
    code          TEXT    NOT NULL,
    expires_at_ms BIGINT  NOT NULL
);
CREATE INDEX verification_codes_email ON verification_codes (lower(email), seq);

-- The durable outbox: every message to send, written with the change that causes it.
CREATE TABLE notifications (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    channel       TEXT    NOT NULL CHECK (channel IN ('email')),
    recipient     TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts      BIGINT  NOT NULL
);
CREATE INDEX notifications_pending ON notifications (state, seq);
CREATE INDEX notifications_recipient ON notifications (recipient, seq);
