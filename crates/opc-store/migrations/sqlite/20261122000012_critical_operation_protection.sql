-- Critical-operation protection (SQLite), R-ASSOC-26: a partner listed here has enabled the
-- verification-code function, so its approvals and rejections need a code.

CREATE TABLE critical_operation_protection (
    partner_id    TEXT   PRIMARY KEY REFERENCES partners (id),
    enabled_at_ms INTEGER NOT NULL
);
