-- What each program application accepted or completed (PostgreSQL): R-CERT-05, R-CERT-06,
-- R-CERT-08, queried by R-CERT-09. Agreement codes, comma-separated; earlier applications
-- recorded none.
ALTER TABLE program_applications ADD COLUMN agreements TEXT NOT NULL DEFAULT '';
