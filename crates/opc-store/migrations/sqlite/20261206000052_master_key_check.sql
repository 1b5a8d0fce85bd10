-- Issue 17, first run: the master key's check value (a one-way digest of it, never the key), so
-- that a server started with another key than the one the database's secrets were sealed with
-- stops at once with a clear error instead of failing on the first secret it reads.
CREATE TABLE master_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    digest TEXT NOT NULL
);
