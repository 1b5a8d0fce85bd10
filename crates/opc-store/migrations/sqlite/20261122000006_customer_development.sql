-- Customer development (SQLite): pre-registrations, invitations, disassociation requests.

-- R-DEV-05, R-DEV-06: 15-day exclusivity per email; the state is derived from the times.
CREATE TABLE pre_registrations (
    partner_id       TEXT    NOT NULL REFERENCES partners (id),
    email            TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    expires_at_ms    INTEGER NOT NULL,
    associated_at_ms INTEGER,
    version          INTEGER NOT NULL,
    PRIMARY KEY (partner_id, email, created_at_ms)
);
CREATE INDEX pre_registrations_email ON pre_registrations (lower(email));

-- R-DEV-01, R-DEV-08: email invitations expire; links and QR codes are permanent.
CREATE TABLE invitations (
    token         TEXT    PRIMARY KEY,
    partner_id    TEXT    NOT NULL REFERENCES partners (id),
    model         TEXT    NOT NULL CHECK (model IN ('referral', 'reseller')),
    channel       TEXT    NOT NULL CHECK (channel IN ('email', 'link', 'qr_code')),
    email         TEXT,
    expires_at_ms INTEGER,
    created_at_ms INTEGER NOT NULL,
    CHECK ((channel = 'email') = (email IS NOT NULL AND expires_at_ms IS NOT NULL))
);
CREATE INDEX invitations_partner ON invitations (partner_id, created_at_ms);

-- R-ASSOC-27, R-ASSOC-28: association records (disassociation requests).
CREATE TABLE disassociation_requests (
    customer_id     TEXT    NOT NULL REFERENCES accounts (id),
    partner_id      TEXT    NOT NULL REFERENCES partners (id),
    initiated_by    TEXT    NOT NULL CHECK (initiated_by IN ('customer', 'partner')),
    reason          TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    requested_at_ms INTEGER NOT NULL,
    decided_at_ms   INTEGER,
    version         INTEGER NOT NULL,
    PRIMARY KEY (customer_id, requested_at_ms)
);
CREATE INDEX disassociation_requests_partner ON disassociation_requests (partner_id, requested_at_ms);

-- R-ASSOC-19, R-RCM-14: when the customer accepted the Customer Authorization Letter.
ALTER TABLE associations ADD COLUMN authorized_at_ms INTEGER;
