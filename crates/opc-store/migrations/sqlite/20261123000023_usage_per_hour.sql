-- Ingestion at scale (issue #6). A usage record's id is kept on its own (what makes ingestion
-- idempotent); its rated usage is added to its resource's hour; spend totals are kept running,
-- so that budgets and quotas read one row instead of summing every record.

CREATE TABLE usage_record_ids (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO usage_record_ids (id) SELECT id FROM usage_records;

-- One row per customer, cycle, hour (UTC, its first millisecond), resource, usage factor and
-- unit; the product and the partner are the latest record's (`partner_id` and `model` are ''
-- without a partner; each record's own attribution is in the running totals). Customers are
-- checked before their usage is stored, hence no foreign key here.
CREATE TABLE usage_hours (
    customer_id       TEXT    NOT NULL,
    cycle             INTEGER NOT NULL,
    hour_ms           INTEGER NOT NULL,
    resource_id       TEXT    NOT NULL,
    usage_factor      TEXT    NOT NULL,
    usage_measure_id  INTEGER NOT NULL,
    resource_spec     TEXT    NOT NULL,
    region            TEXT    NOT NULL,
    service_type      TEXT    NOT NULL,
    resource_type     TEXT    NOT NULL,
    partner_id        TEXT    NOT NULL,
    model             TEXT    NOT NULL CHECK (model IN ('', 'referral', 'reseller')),
    usage_e8          INTEGER NOT NULL,
    amount_e8         INTEGER NOT NULL CHECK (amount_e8 >= 0),
    records           INTEGER NOT NULL,
    first_ended_at_ms INTEGER NOT NULL,
    last_ended_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id)
) WITHOUT ROWID;
INSERT INTO usage_hours
SELECT u.customer_id, u.cycle, u.ended_at_ms - u.ended_at_ms % 3600000, u.resource_id, u.usage_factor,
       u.usage_measure_id, latest.resource_spec, latest.region, latest.service_type, latest.resource_type,
       COALESCE(latest.partner_id, ''), COALESCE(latest.model, ''),
       SUM(u.usage_e8), SUM(u.amount_e8), COUNT(*), MIN(u.ended_at_ms), MAX(u.ended_at_ms)
FROM usage_records u
JOIN usage_records latest ON latest.id = (
    SELECT l.id FROM usage_records l
    WHERE l.customer_id = u.customer_id AND l.cycle = u.cycle AND l.resource_id = u.resource_id
      AND l.usage_factor = u.usage_factor AND l.usage_measure_id = u.usage_measure_id
      AND l.ended_at_ms - l.ended_at_ms % 3600000 = u.ended_at_ms - u.ended_at_ms % 3600000
    ORDER BY l.ended_at_ms DESC, l.id DESC LIMIT 1)
GROUP BY u.customer_id, u.cycle, u.ended_at_ms - u.ended_at_ms % 3600000, u.resource_id, u.usage_factor,
         u.usage_measure_id, latest.resource_spec, latest.region, latest.service_type, latest.resource_type,
         latest.partner_id, latest.model;

-- Running list-price spend, usage and orders (refunds negative): `customer:<id>` per cycle
-- and in all (period 0), `partner:<id>` of its reseller customers in all (period 0).
CREATE TABLE spend_totals (
    scope     TEXT    NOT NULL,
    period    INTEGER NOT NULL,
    amount_e8 INTEGER NOT NULL,
    PRIMARY KEY (scope, period)
) WITHOUT ROWID;
INSERT INTO spend_totals (scope, period, amount_e8)
SELECT 'customer:' || customer_id, cycle, SUM(amount_e8) FROM (
    SELECT customer_id, cycle, amount_e8 FROM usage_records
    UNION ALL SELECT customer_id, cycle, amount_e8 FROM order_charges
) AS spend GROUP BY customer_id, cycle;
INSERT INTO spend_totals (scope, period, amount_e8)
SELECT 'customer:' || customer_id, 0, SUM(amount_e8) FROM (
    SELECT customer_id, amount_e8 FROM usage_records
    UNION ALL SELECT customer_id, amount_e8 FROM order_charges
) AS spend GROUP BY customer_id;
INSERT INTO spend_totals (scope, period, amount_e8)
SELECT 'partner:' || partner_id, 0, SUM(amount_e8) FROM (
    SELECT partner_id, amount_e8 FROM usage_records WHERE model = 'reseller'
    UNION ALL SELECT partner_id, amount_e8 FROM order_charges WHERE model = 'reseller'
) AS spend GROUP BY partner_id;

-- A one-time (PACKAGE) budget counts the spend recorded after it was set: the customer's total
-- then is its baseline.
ALTER TABLE budgets ADD COLUMN baseline_e8 INTEGER NOT NULL DEFAULT 0;
UPDATE budgets SET baseline_e8 = COALESCE((
    SELECT SUM(amount_e8) FROM (
        SELECT customer_id, amount_e8, ended_at_ms AS at_ms FROM usage_records
        UNION ALL SELECT customer_id, amount_e8, charged_at_ms FROM order_charges
    ) AS spend WHERE spend.customer_id = budgets.customer_id AND spend.at_ms < budgets.set_at_ms), 0);

DROP TABLE usage_records;
