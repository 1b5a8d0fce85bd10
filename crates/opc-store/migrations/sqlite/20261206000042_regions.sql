-- Issue 16 (BSS B2.12): the operator's imported administrative regions. A province's
-- parent_code is '' (the key of the list of provinces); a city's is its province's, a county's
-- its city's. The set is replaced whole on each import.
CREATE TABLE regions (
    code         TEXT NOT NULL PRIMARY KEY,
    level        TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent_code  TEXT NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL
);
CREATE INDEX regions_by_parent ON regions (level, parent_code, code);
