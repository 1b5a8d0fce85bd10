-- The product catalog (SQLite), issue #6: each import is a new version of the whole document
-- (`opc_rows::catalog`); the highest version is the current catalog, earlier ones its history.
CREATE TABLE catalog_versions (
    version        INTEGER PRIMARY KEY AUTOINCREMENT,
    document       TEXT    NOT NULL,
    imported_at_ms INTEGER NOT NULL,
    imported_by    TEXT    NOT NULL
);
