-- The audit names the person as well as the token's subject: the staff member's display name from the
-- identity provider (never a child's or a reporter's).
ALTER TABLE audit_log ADD COLUMN actor_name text NOT NULL DEFAULT '';
