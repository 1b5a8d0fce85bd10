-- What authenticates a request (access keys, accounts, partners and their enrollments,
-- organization members and roles) is kept in memory by each server process between changes
-- (issue 18, the read path). A process learns of its own writes as they commit; these
-- triggers tell the others.
-- PostgreSQL: a notification on channel opc_principals, delivered at commit (several in one
-- transaction are delivered once). An update that changes nothing (a row lock taken as
-- `SET version = version`) says nothing.
CREATE FUNCTION notify_principal_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('opc_principals', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER access_keys_principal_writes AFTER INSERT OR DELETE ON access_keys
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER access_keys_principal_updates AFTER UPDATE ON access_keys
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER accounts_principal_writes AFTER INSERT OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER accounts_principal_updates AFTER UPDATE ON accounts
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partners_principal_writes AFTER INSERT OR DELETE ON partners
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partners_principal_updates AFTER UPDATE ON partners
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partner_enrollments_principal_writes AFTER INSERT OR DELETE ON partner_enrollments
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partner_enrollments_principal_updates AFTER UPDATE ON partner_enrollments
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partner_members_principal_writes AFTER INSERT OR DELETE ON partner_members
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partner_members_principal_updates AFTER UPDATE ON partner_members
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partner_roles_principal_writes AFTER INSERT OR DELETE ON partner_roles
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER partner_roles_principal_updates AFTER UPDATE ON partner_roles
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
