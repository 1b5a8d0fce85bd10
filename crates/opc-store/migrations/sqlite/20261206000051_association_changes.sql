-- Issue 18, the read path: a partner's customer list is kept in memory by each server process
-- while nothing it is made of changes. It is made of accounts, partners and organization
-- members (already counted, migration 36) and associations, counted from now on.
CREATE TRIGGER associations_insert_principal AFTER INSERT ON associations
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER associations_update_principal AFTER UPDATE ON associations
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER associations_delete_principal AFTER DELETE ON associations
    BEGIN UPDATE principal_changes SET n = n + 1; END;
