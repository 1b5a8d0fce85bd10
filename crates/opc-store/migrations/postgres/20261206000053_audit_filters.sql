-- The audit log for people (issue 17): who a partner acted for, and the filters the console's
-- Audit log page offers, each inside the reader's scope (a partner's events, or all of them).
-- An order a partner places for its reseller customer names the partner as the actor and the
-- customer here; older events leave it empty.
ALTER TABLE audit_events ADD COLUMN on_behalf_of TEXT;
-- From/to dates, for the operator and inside a partner's events.
CREATE INDEX audit_events_at ON audit_events (at_ms);
CREATE INDEX audit_events_partner_at ON audit_events (partner_id, at_ms);
-- One actor: an operator, partner or account (actor_id), or one access key (actor_key).
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_actor_key ON audit_events (actor_key, seq);
-- One action, newest first.
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_partner_action ON audit_events (partner_id, action, seq);
