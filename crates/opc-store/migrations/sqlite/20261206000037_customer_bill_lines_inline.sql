-- A customer's monthly bill keeps its lines in its own row (issue #14, the bill run at scale):
-- they are written once with it, never changed, and always read with it or with the other
-- bills of its payer. One JSON array of [service type, billing mode, kind, official amount in
-- 10^-8] per bill, ordered; the bill run no longer writes a second table and its two indexes.
ALTER TABLE customer_bills ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';
UPDATE customer_bills SET lines = COALESCE((
    SELECT json_group_array(json_array(l.service_type, l.mode, l.kind, l.official_e8))
    FROM (SELECT * FROM customer_bill_lines l
          WHERE l.customer_id = customer_bills.customer_id AND l.cycle = customer_bills.cycle
            AND l.payer_id = customer_bills.payer_id
          ORDER BY l.service_type, l.mode, l.kind) l), '[]');
DROP TABLE customer_bill_lines;
