-- `account_name` search served by an index (issue 18): a trigram full-text index over account
-- names, so that "contains" searches read the few matching accounts instead of every customer
-- of a partner. Kept by triggers; the search still checks `lower(name) LIKE` on what it finds.
CREATE VIRTUAL TABLE account_names USING fts5(account_id UNINDEXED, name, tokenize = 'trigram');
INSERT INTO account_names (account_id, name) SELECT id, name FROM accounts;
CREATE TRIGGER account_names_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO account_names (account_id, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER account_names_update AFTER UPDATE OF name ON accounts BEGIN
    DELETE FROM account_names WHERE account_id = old.id;
    INSERT INTO account_names (account_id, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER account_names_delete AFTER DELETE ON accounts BEGIN
    DELETE FROM account_names WHERE account_id = old.id;
END;
