-- Verification codes are stored as their keyed hash from now on (issue 18): the column `code`
-- holds HMAC-SHA256 hex under a key derived from the master key, which SQL cannot compute.
-- Codes live at most 60 minutes; those sent before this upgrade, stored in plain text, are
-- removed (they would no longer be accepted anyway): their owners request a new one.
DELETE FROM verification_codes;
