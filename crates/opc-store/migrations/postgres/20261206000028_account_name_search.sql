-- `account_name` search served by an index (issue 18): a trigram index over lower-cased account
-- names, which `lower(name) LIKE '%…%'` uses. pg_trgm ships with PostgreSQL; it is created once
-- per database (in public, so every schema's index finds its operator class), and creating it
-- from two schemas at once is harmless. Without GIN's pending list (`fastupdate`), a search
-- never scans the names added since the last vacuum one by one (6 ms → 0.1 ms at 100,000).
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
EXCEPTION WHEN unique_violation OR duplicate_object THEN
    NULL;
END
$$;
CREATE INDEX accounts_name_trigrams ON accounts USING gin (lower(name) public.gin_trgm_ops) WITH (fastupdate = off);
