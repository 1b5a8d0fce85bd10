-- Annual revenue goals (SQLite), R-PROG-44: one per partner and year.

CREATE TABLE revenue_goals (
    partner_id TEXT    NOT NULL REFERENCES partners (id),
    year       INTEGER NOT NULL,
    amount_e8  INTEGER  NOT NULL CHECK (amount_e8 > 0),
    set_at_ms  INTEGER  NOT NULL,
    PRIMARY KEY (partner_id, year)
);
