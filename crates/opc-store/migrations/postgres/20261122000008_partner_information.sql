-- Partner information authentication (PostgreSQL): business and payment information, each
-- reviewed by the operator (R-INFO-01 … R-INFO-10). One row per partner and kind.

CREATE TABLE partner_information (
    partner_id              TEXT    NOT NULL REFERENCES partners (id),
    kind                    TEXT    NOT NULL CHECK (kind IN ('business', 'payment')),
    company_name            TEXT,
    registration_number     TEXT,
    settlement_currency     TEXT,
    questionnaire_completed BOOLEAN,
    bank_name               TEXT,
    bank_country            TEXT,
    account_name            TEXT,
    account_number          TEXT,
    swift_code              TEXT,
    tax_rate_bp             BIGINT,
    state                   TEXT    NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected')),
    rejection_reason        TEXT,
    submitted_at_ms         BIGINT  NOT NULL,
    decided_at_ms           BIGINT,
    version                 BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, kind)
);
CREATE INDEX partner_information_state ON partner_information (state, submitted_at_ms);
