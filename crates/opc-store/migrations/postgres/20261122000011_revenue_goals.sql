-- Annual revenue goals (PostgreSQL), R-PROG-44: one per partner and year.

CREATE TABLE revenue_goals (
    partner_id TEXT    NOT NULL REFERENCES partners (id),
    year       BIGINT  NOT NULL,
    amount_e8  BIGINT  NOT NULL CHECK (amount_e8 > 0),
    set_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, year)
);
