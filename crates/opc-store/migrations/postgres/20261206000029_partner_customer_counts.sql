-- How many current customers each partner has (issue 18, the read path): the count of an
-- unfiltered customer list is one row instead of a count over every customer of the partner.
-- Kept by a trigger on associations, in the transaction that changes them.
CREATE TABLE partner_customer_counts (
    partner_id TEXT PRIMARY KEY,
    customers  BIGINT NOT NULL CHECK (customers >= 0)
);
INSERT INTO partner_customer_counts (partner_id, customers)
    SELECT partner_id, count(*) FROM associations WHERE state <> 'disassociated' GROUP BY partner_id;
CREATE FUNCTION count_partner_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state <> 'disassociated' THEN
        UPDATE partner_customer_counts SET customers = customers - 1 WHERE partner_id = OLD.partner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state <> 'disassociated' THEN
        INSERT INTO partner_customer_counts (partner_id, customers) VALUES (NEW.partner_id, 1)
            ON CONFLICT (partner_id) DO UPDATE SET customers = partner_customer_counts.customers + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER partner_customer_counts AFTER INSERT OR DELETE OR UPDATE OF state, partner_id ON associations
    FOR EACH ROW EXECUTE FUNCTION count_partner_customers();
-- Every query by partner asks for its current associations, which the partial index
-- associations_partner_current holds.
DROP INDEX associations_partner;
