-- One row per login (lower-cased) that ever tried to sign in: a sign-in takes its row's lock
-- before counting the login's failures and recording its own attempt, so concurrent attempts
-- are counted one after the other and never see a stale count (issue 18). On SQLite the write
-- lock already orders them; the table is the same on both backends.
CREATE TABLE login_attempt_locks (
    login TEXT PRIMARY KEY
) WITHOUT ROWID;
