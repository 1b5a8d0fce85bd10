-- Issue 18, the read path: a partner's customer list is kept in memory by each server process
-- while nothing it is made of changes. It is made of accounts, partners and organization
-- members (already notified, migration 36) and associations, notified from now on.
CREATE TRIGGER associations_principal_writes AFTER INSERT OR DELETE ON associations
    FOR EACH ROW EXECUTE FUNCTION notify_principal_change();
CREATE TRIGGER associations_principal_updates AFTER UPDATE ON associations
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_principal_change();
