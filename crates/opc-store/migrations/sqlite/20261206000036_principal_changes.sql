-- What authenticates a request (access keys, accounts, partners and their enrollments,
-- organization members and roles) is kept in memory by each server process between changes
-- (issue 18, the read path). A process learns of its own writes as they commit; these
-- triggers tell the others.
-- SQLite: a count, which a process reads before it uses what it keeps.
CREATE TABLE principal_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO principal_changes (id, n) VALUES (1, 0);
CREATE TRIGGER access_keys_insert_principal AFTER INSERT ON access_keys
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER access_keys_update_principal AFTER UPDATE ON access_keys
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER access_keys_delete_principal AFTER DELETE ON access_keys
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER accounts_insert_principal AFTER INSERT ON accounts
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER accounts_update_principal AFTER UPDATE ON accounts
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER accounts_delete_principal AFTER DELETE ON accounts
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partners_insert_principal AFTER INSERT ON partners
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partners_update_principal AFTER UPDATE ON partners
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partners_delete_principal AFTER DELETE ON partners
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_enrollments_insert_principal AFTER INSERT ON partner_enrollments
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_enrollments_update_principal AFTER UPDATE ON partner_enrollments
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_enrollments_delete_principal AFTER DELETE ON partner_enrollments
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_members_insert_principal AFTER INSERT ON partner_members
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_members_update_principal AFTER UPDATE ON partner_members
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_members_delete_principal AFTER DELETE ON partner_members
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_roles_insert_principal AFTER INSERT ON partner_roles
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_roles_update_principal AFTER UPDATE ON partner_roles
    BEGIN UPDATE principal_changes SET n = n + 1; END;
CREATE TRIGGER partner_roles_delete_principal AFTER DELETE ON partner_roles
    BEGIN UPDATE principal_changes SET n = n + 1; END;
