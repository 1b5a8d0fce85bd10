-- HCPN applications and partner-program applications (SQLite).

-- One HCPN application per account (R-HCPN-04), keyed by the applicant.
CREATE TABLE hcpn_applications (
    applicant_id               TEXT    PRIMARY KEY REFERENCES accounts (id),
    company_name               TEXT    NOT NULL,
    business_country           TEXT    NOT NULL,
    address                    TEXT    NOT NULL,
    website                    TEXT,
    contact_name               TEXT    NOT NULL,
    contact_email              TEXT    NOT NULL,
    contact_phone              TEXT    NOT NULL,
    has_sensitive_relationship BOOLEAN NOT NULL,
    sensitive_description      TEXT,
    agreement_accepted_at_ms   INTEGER NOT NULL,
    state                      TEXT    NOT NULL CHECK (state IN ('submitted', 'manual_review', 'approved', 'rejected')),
    review_reasons             TEXT,
    rejection_reason           TEXT,
    submitted_at_ms            INTEGER NOT NULL,
    decided_at_ms              INTEGER,
    version                    INTEGER NOT NULL
);
CREATE INDEX hcpn_applications_state ON hcpn_applications (state, submitted_at_ms);

-- One application per account and program (R-PROG-04); the business area is fixed (R-PROG-22).
CREATE TABLE program_applications (
    applicant_id     TEXT    NOT NULL REFERENCES accounts (id),
    program          TEXT    NOT NULL CHECK (program IN ('csp', 'distributor', 'reseller', 'koogallery_seller', 'koogallery_sales', 'carrier', 'competency')),
    business_area    TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected')),
    rejection_reason TEXT,
    submitted_at_ms  INTEGER NOT NULL,
    decided_at_ms    INTEGER,
    version          INTEGER NOT NULL,
    PRIMARY KEY (applicant_id, program)
);
CREATE INDEX program_applications_state ON program_applications (state, submitted_at_ms);
