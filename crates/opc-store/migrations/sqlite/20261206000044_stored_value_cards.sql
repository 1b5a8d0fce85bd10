-- Stored-value cards (issue 15; B2.5.8, B1.6.4 coupon type 303): a customer's own prepaid
-- money, recorded by the operator when the customer bought it. The balance is the running
-- total of the card's append-only entries, written with them under the card's version.
CREATE TABLE stored_value_cards (
    id             TEXT    PRIMARY KEY,
    customer_id    TEXT    NOT NULL REFERENCES accounts (id),
    name           TEXT    NOT NULL,
    face_value_e8  INTEGER  NOT NULL CHECK (face_value_e8 > 0),
    balance_e8     INTEGER  NOT NULL CHECK (balance_e8 >= 0),
    valid_from_ms  INTEGER  NOT NULL,
    valid_to_ms    INTEGER  NOT NULL,
    created_at_ms  INTEGER  NOT NULL,
    version        INTEGER  NOT NULL,
    CHECK (valid_to_ms > valid_from_ms)
);
CREATE INDEX stored_value_cards_customer ON stored_value_cards (customer_id, created_at_ms);

CREATE TABLE stored_value_card_entries (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT    NOT NULL UNIQUE,
    card_id           TEXT    NOT NULL REFERENCES stored_value_cards (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('issue', 'pay', 'refund')),
    amount_e8         INTEGER  NOT NULL CHECK (amount_e8 <> 0),
    balance_after_e8  INTEGER  NOT NULL CHECK (balance_after_e8 >= 0),
    order_id          TEXT,
    at_ms             INTEGER  NOT NULL,
    CHECK ((kind = 'issue') = (order_id IS NULL))
);
CREATE INDEX stored_value_card_entries_card ON stored_value_card_entries (card_id, seq);
CREATE INDEX stored_value_card_entries_order ON stored_value_card_entries (order_id);
CREATE TRIGGER stored_value_card_entries_append_only_update BEFORE UPDATE ON stored_value_card_entries BEGIN
    SELECT RAISE(ABORT, 'stored-value card entries are append-only');
END;
CREATE TRIGGER stored_value_card_entries_append_only_delete BEFORE DELETE ON stored_value_card_entries BEGIN
    SELECT RAISE(ABORT, 'stored-value card entries are append-only');
END;

-- What a card paid of each line of an order (the fee records' stored_value_card_amount),
-- written in the order's settlement; negative on an unsubscription's lines: what came back to
-- the card.
CREATE TABLE order_line_card_payments (
    line_id    TEXT    NOT NULL REFERENCES order_lines (id),
    order_id   TEXT    NOT NULL REFERENCES orders (id),
    card_id    TEXT    NOT NULL REFERENCES stored_value_cards (id),
    amount_e8  INTEGER  NOT NULL CHECK (amount_e8 <> 0),
    PRIMARY KEY (line_id, card_id)
);
CREATE INDEX order_line_card_payments_order ON order_line_card_payments (order_id);
