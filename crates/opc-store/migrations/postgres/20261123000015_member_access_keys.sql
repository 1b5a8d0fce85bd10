-- Access keys issued to organization members (PostgreSQL): requests signed with one act with the
-- member's permission items and customer visibility (R-ORG-02, R-ORG-19).
ALTER TABLE access_keys ADD COLUMN member_id TEXT REFERENCES partner_members (id);
CREATE INDEX access_keys_member_id ON access_keys (member_id);
