-- Signed BSS writes answered once (issue 18, item 8): a write's signature is claimed before
-- it runs; a replay of the same signed request within the signature window gets the first
-- answer instead of running again, whichever server process it reaches. A row outlives its
-- signature's validity by nothing: once expired, the signature itself is refused.
CREATE TABLE signed_writes (
    signature_sha256 TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    -- NULL while the first request runs.
    status INTEGER,
    content_type TEXT,
    body BLOB
);
CREATE INDEX signed_writes_by_expiry ON signed_writes (expires_at_ms);
