-- Who read or changed which case, and when (DOMAIN.md: every read of a case is audited). Codes and ids
-- only: nothing personal is written here.

CREATE TABLE audit_log (
    id        bigserial   PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text        NOT NULL,  -- the token's subject
    role      text        NOT NULL,
    scope     text        NOT NULL,
    action    text        NOT NULL,  -- read, list, or the change made
    case_id   uuid,                  -- the referral, or in intake the report
    target    text                   -- what else was read: a station's list, the unrouted queue
);

CREATE INDEX audit_log_by_case ON audit_log (case_id, at);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at);
