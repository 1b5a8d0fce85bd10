-- Foundation schema (PostgreSQL). Conventions, shared with the SQLite schema of the same name:
-- times are UTC milliseconds since the epoch in *_ms columns; money is an exact count of 1e-8
-- units in *_e8 columns; enums are text codes with a CHECK; every aggregate has a version for
-- optimistic concurrency. Never edit an applied migration: add a new one to both backends.

CREATE TABLE accounts (
    id                             TEXT    PRIMARY KEY,
    name                           TEXT    NOT NULL,
    display_name                   TEXT,
    email                          TEXT,
    phone                          TEXT,
    country                        TEXT    NOT NULL,
    site                           TEXT    NOT NULL CHECK (site IN ('international', 'china')),
    account_type                   TEXT    NOT NULL CHECK (account_type IN ('unset', 'individual', 'enterprise')),
    real_name_status               TEXT    NOT NULL CHECK (real_name_status IN ('not_verified', 'under_review', 'rejected', 'verified', 'failed')),
    enterprise_role                TEXT    NOT NULL CHECK (enterprise_role IN ('standalone', 'master', 'member')),
    accounting_mode                TEXT    CHECK (accounting_mode IN ('unified', 'independent')),
    master_has_independent_members BOOLEAN NOT NULL,
    registered_at_ms               BIGINT  NOT NULL,
    has_credit_card                BOOLEAN NOT NULL,
    has_credit_account             BOOLEAN NOT NULL,
    arrears_e8                     BIGINT  NOT NULL,
    consumption_e8                 BIGINT  NOT NULL,
    cash_expenditure_e8            BIGINT  NOT NULL,
    resources_in_use               BIGINT  NOT NULL CHECK (resources_in_use >= 0),
    reserved_instances             BIGINT  NOT NULL CHECK (reserved_instances >= 0),
    freeze_scope                   TEXT    CHECK (freeze_scope IN ('account', 'account_and_resource')),
    freeze_cause                   TEXT    CHECK (freeze_cause IN ('reseller_association', 'partner', 'partner_frozen', 'budget_exhausted')),
    frozen_at_ms                   BIGINT,
    bd_preregistered               BOOLEAN NOT NULL,
    special_contract               BOOLEAN NOT NULL,
    professional_service_contract  BOOLEAN NOT NULL,
    version                        BIGINT  NOT NULL,
    CONSTRAINT accounts_name_key UNIQUE (name)
);

CREATE TABLE partners (
    id             TEXT    PRIMARY KEY,
    account_id     TEXT    NOT NULL REFERENCES accounts (id),
    name           TEXT    NOT NULL,
    country        TEXT    NOT NULL,
    distributor_id TEXT    REFERENCES partners (id),
    state          TEXT    NOT NULL CHECK (state IN ('normal', 'restricted', 'frozen')),
    created_at_ms  BIGINT  NOT NULL,
    version        BIGINT  NOT NULL,
    CONSTRAINT partners_account_id_key UNIQUE (account_id)
);
CREATE INDEX partners_distributor_id ON partners (distributor_id);

CREATE TABLE partner_enrollments (
    partner_id     TEXT    NOT NULL REFERENCES partners (id),
    program        TEXT    NOT NULL CHECK (program IN ('csp', 'distributor', 'reseller', 'koogallery_seller', 'koogallery_sales', 'carrier', 'competency')),
    tier           TEXT    NOT NULL CHECK (tier IN ('standard', 'advanced', 'premier', 'core')),
    enrolled_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, program)
);

-- A customer's associations over time; at most one is current (R-ASSOC-02).
CREATE TABLE associations (
    customer_id         TEXT    NOT NULL REFERENCES accounts (id),
    partner_id          TEXT    NOT NULL REFERENCES partners (id),
    model               TEXT    NOT NULL CHECK (model IN ('referral', 'reseller')),
    associated_at_ms    BIGINT  NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('associated', 'disassociation_pending', 'disassociated')),
    disassociated_at_ms BIGINT,
    label               TEXT,
    xaccount_id         TEXT,
    xaccount_type       TEXT,
    version             BIGINT  NOT NULL,
    PRIMARY KEY (customer_id, associated_at_ms)
);
CREATE UNIQUE INDEX associations_current_customer ON associations (customer_id) WHERE state <> 'disassociated';
CREATE INDEX associations_partner ON associations (partner_id, associated_at_ms);

CREATE TABLE access_keys (
    id            TEXT    PRIMARY KEY,
    partner_id    TEXT    REFERENCES partners (id), -- none for a customer's own key
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    sealed_secret BYTEA   NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    revoked_at_ms BIGINT,
    version       BIGINT  NOT NULL
);
CREATE INDEX access_keys_partner_id ON access_keys (partner_id);
CREATE INDEX access_keys_account_id ON access_keys (account_id);

-- Append-only. No foreign keys: the trail outlives what it describes.
CREATE TABLE audit_events (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE,
    at_ms        BIGINT  NOT NULL,
    actor_kind   TEXT    NOT NULL CHECK (actor_kind IN ('operator', 'partner', 'customer', 'system')),
    actor_id     TEXT,
    actor_key    TEXT,
    partner_id   TEXT,
    action       TEXT    NOT NULL,
    subject_kind TEXT    NOT NULL,
    subject_id   TEXT    NOT NULL,
    before_state TEXT,
    after_state  TEXT
);
CREATE INDEX audit_events_partner ON audit_events (partner_id, seq);
CREATE INDEX audit_events_subject ON audit_events (subject_id, seq);
