-- list_sub_customers reads a partner's current customers newest first (PostgreSQL): this index
-- serves the filter, the order and the count without a sort or a table scan.
CREATE INDEX associations_partner_current ON associations (partner_id, associated_at_ms, customer_id)
    WHERE state <> 'disassociated';
