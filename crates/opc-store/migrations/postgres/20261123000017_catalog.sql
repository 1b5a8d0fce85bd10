-- The product catalog (PostgreSQL), issue #6: each import is a new version of the whole document
-- (`opc_rows::catalog`); the highest version is the current catalog, earlier ones its history.
CREATE TABLE catalog_versions (
    version        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document       TEXT    NOT NULL,
    imported_at_ms BIGINT  NOT NULL,
    imported_by    TEXT    NOT NULL
);
