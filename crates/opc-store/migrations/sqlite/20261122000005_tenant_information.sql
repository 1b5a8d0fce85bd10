-- Tenant information and qualification proofs (SQLite), R-ACCT-06 … R-ACCT-09.

CREATE TABLE tenant_information (
    account_id         TEXT    PRIMARY KEY REFERENCES accounts (id),
    tenant_type        TEXT    NOT NULL CHECK (tenant_type IN ('individual', 'enterprise')),
    full_name          TEXT    NOT NULL,
    qualification_name TEXT    NOT NULL,
    vat_registered     BOOLEAN NOT NULL,
    address_line1      TEXT    NOT NULL,
    address_line2      TEXT,
    city               TEXT    NOT NULL,
    region             TEXT    NOT NULL,
    postal_code        TEXT    NOT NULL,
    payment_currency   TEXT    NOT NULL,
    industry           TEXT    NOT NULL,
    tax_id             TEXT,
    updated_at_ms      INTEGER NOT NULL
);

-- The latest qualification proof of each account (at most 5 MB, checked before storing).
CREATE TABLE qualification_proofs (
    account_id     TEXT    PRIMARY KEY REFERENCES accounts (id),
    file_name      TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    uploaded_at_ms INTEGER NOT NULL
);
