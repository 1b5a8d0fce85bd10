-- Issue 17: the language a person chose in the console's header (an account, a partner's member
-- or a member of the operator's staff), kept across sessions and used for the emails it receives.
CREATE TABLE languages (
    subject_kind   TEXT    NOT NULL,
    subject_id     TEXT    NOT NULL,
    language       TEXT    NOT NULL,
    updated_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
);
