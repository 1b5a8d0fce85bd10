-- Failed console sign-ins (SQLite), by login (lower-cased): too many in a window lock the login
-- for a while, so passwords cannot be guessed at speed (any server process sees them all).
CREATE TABLE login_failures (
    login  TEXT    NOT NULL,
    at_ms  INTEGER NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at_ms);
