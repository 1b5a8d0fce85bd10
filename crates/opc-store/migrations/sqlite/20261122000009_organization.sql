-- Partner organizations (SQLite): custom roles, members, account managers (R-ORG-*).

CREATE TABLE partner_roles (
    id            TEXT    PRIMARY KEY,
    partner_id    TEXT    NOT NULL REFERENCES partners (id),
    name          TEXT    NOT NULL,
    permissions   TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX partner_roles_partner ON partner_roles (partner_id);

CREATE TABLE partner_members (
    id            TEXT    PRIMARY KEY,
    partner_id    TEXT    NOT NULL REFERENCES partners (id),
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role_id       TEXT    REFERENCES partner_roles (id),
    position      TEXT    NOT NULL CHECK (position IN ('member', 'account_manager', 'account_director')),
    director_id   TEXT    REFERENCES partner_members (id),
    created_at_ms INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    CONSTRAINT partner_members_email_key UNIQUE (email)
);
CREATE INDEX partner_members_partner ON partner_members (partner_id);

-- R-RCM-01: the customer's account manager, a member of the partner's organization.
ALTER TABLE associations ADD COLUMN account_manager_id TEXT REFERENCES partner_members (id);
