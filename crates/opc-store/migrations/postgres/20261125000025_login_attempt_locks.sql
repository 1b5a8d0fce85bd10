-- One row per login (lower-cased) that ever tried to sign in: a sign-in takes its row's lock
-- (the upsert holds it to the commit) before counting the login's failures and recording its
-- own attempt, so concurrent attempts are counted one after the other and never see a stale
-- count (issue 18).
CREATE TABLE login_attempt_locks (
    login TEXT PRIMARY KEY
);
