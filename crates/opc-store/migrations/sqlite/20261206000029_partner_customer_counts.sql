-- How many current customers each partner has (issue 18, the read path): the count of an
-- unfiltered customer list is one row instead of a count over every customer of the partner.
-- Kept by triggers on associations, in the transaction that changes them.
CREATE TABLE partner_customer_counts (
    partner_id TEXT PRIMARY KEY,
    customers  INTEGER NOT NULL CHECK (customers >= 0)
) WITHOUT ROWID;
INSERT INTO partner_customer_counts (partner_id, customers)
    SELECT partner_id, count(*) FROM associations WHERE state <> 'disassociated' GROUP BY partner_id;
CREATE TRIGGER partner_customer_counts_insert AFTER INSERT ON associations
WHEN new.state <> 'disassociated' BEGIN
    INSERT INTO partner_customer_counts (partner_id, customers) VALUES (new.partner_id, 1)
        ON CONFLICT (partner_id) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER partner_customer_counts_update AFTER UPDATE OF state, partner_id ON associations BEGIN
    UPDATE partner_customer_counts SET customers = customers - 1
        WHERE old.state <> 'disassociated' AND partner_id = old.partner_id;
    INSERT INTO partner_customer_counts (partner_id, customers)
        SELECT new.partner_id, 1 WHERE new.state <> 'disassociated'
        ON CONFLICT (partner_id) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER partner_customer_counts_delete AFTER DELETE ON associations
WHEN old.state <> 'disassociated' BEGIN
    UPDATE partner_customer_counts SET customers = customers - 1 WHERE partner_id = old.partner_id;
END;
-- Every query by partner asks for its current associations, which the partial index
-- associations_partner_current holds; this one only led SQLite's planner to read every row.
DROP INDEX associations_partner;
