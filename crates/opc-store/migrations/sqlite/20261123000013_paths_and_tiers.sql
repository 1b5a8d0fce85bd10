-- Company grouping, development paths and tier entry paths (SQLite):
-- R-PROG-23, R-PROG-02, R-HCPN-07, R-HCPN-10 … R-HCPN-19.

-- The company an HCPN account belongs to (`BusinessInfo::company_key`: the filed company name,
-- ASCII case folded, whitespace runs as one space). Existing rows get the folded name.
ALTER TABLE hcpn_applications ADD COLUMN company_key TEXT NOT NULL DEFAULT '';
UPDATE hcpn_applications SET company_key = lower(company_name);
CREATE INDEX hcpn_applications_company_key ON hcpn_applications (company_key);

-- One development path per account (R-HCPN-07), walked in stages (R-PROG-02).
CREATE TABLE development_paths (
    account_id     TEXT    PRIMARY KEY REFERENCES accounts (id),
    partner_id     TEXT    NOT NULL REFERENCES partners (id),
    path           TEXT    NOT NULL CHECK (path IN ('service', 'software', 'system_integrator')),
    stage          TEXT    NOT NULL CHECK (stage IN ('joined', 'role_validation', 'competency_differentiation', 'certified')),
    joined_at_ms   INTEGER NOT NULL,
    stage_since_ms INTEGER NOT NULL,
    version        INTEGER NOT NULL
);

-- R-HCPN-13: Huawei Cloud's invitations to apply for Core.
CREATE TABLE core_invitations (
    partner_id    TEXT    PRIMARY KEY REFERENCES partners (id),
    invited_at_ms INTEGER NOT NULL,
    invited_by    TEXT    NOT NULL
);

-- Every tier a partner was certified at, by which entry path (R-HCPN-10 … R-HCPN-19); the
-- latest row per partner and program explains `partner_enrollments.tier`.
CREATE TABLE tier_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id    TEXT    NOT NULL REFERENCES partners (id),
    program       TEXT    NOT NULL CHECK (program IN ('csp', 'distributor', 'reseller', 'koogallery_seller', 'koogallery_sales', 'carrier', 'competency')),
    from_tier     TEXT    NOT NULL CHECK (from_tier IN ('standard', 'advanced', 'premier', 'core')),
    to_tier       TEXT    NOT NULL CHECK (to_tier IN ('standard', 'advanced', 'premier', 'core')),
    entry_path    TEXT    NOT NULL CHECK (entry_path IN ('direct', 'won_back', 'core_carrier', 'core_regional', 'core_global', 'review')),
    decided_at_ms INTEGER NOT NULL,
    decided_by    TEXT    NOT NULL
);
CREATE INDEX tier_changes_partner ON tier_changes (partner_id, program, id);
