-- Issue 17: a partner revokes an invitation it gave out (a link or QR code shared by mistake);
-- from then on no one can accept it.
ALTER TABLE invitations ADD COLUMN revoked_at_ms INTEGER;
