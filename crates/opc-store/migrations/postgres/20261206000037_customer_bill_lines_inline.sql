-- A customer's monthly bill keeps its lines in its own row (issue #14, the bill run at scale):
-- they are written once with it, never changed, and always read with it or with the other
-- bills of its payer. One JSON array of [service type, billing mode, kind, official amount in
-- 10^-8] per bill, ordered; the bill run no longer writes a second table and its two indexes.
ALTER TABLE customer_bills ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';
UPDATE customer_bills b SET lines = COALESCE((
    SELECT json_agg(json_build_array(l.service_type, l.mode, l.kind, l.official_e8)
                    ORDER BY l.service_type, l.mode, l.kind)::text
    FROM customer_bill_lines l
    WHERE l.customer_id = b.customer_id AND l.cycle = b.cycle AND l.payer_id = b.payer_id), '[]');
DROP TABLE customer_bill_lines;
