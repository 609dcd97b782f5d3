-- depends: 0001.reports
-- The full report, its idempotency, and the routing state fed by referral and deadline events.

ALTER TABLE reports
    ADD COLUMN hotline_ticket_id  text,
    ADD COLUMN channel            text        NOT NULL DEFAULT 'phone',
    ADD COLUMN created_by         text        NOT NULL DEFAULT 'unknown',
    ADD COLUMN created_at         timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN reporter           jsonb       NOT NULL DEFAULT '{}',  -- facts that do not identify
    ADD COLUMN reporter_identity  bytea,                              -- encrypted name, phone, relation
    ADD COLUMN identity_shared    boolean     NOT NULL DEFAULT false,
    ADD COLUMN routing_state      text        NOT NULL DEFAULT 'received'
        CHECK (routing_state IN ('received', 'routed', 'unrouted', 'linked')),
    ADD COLUMN referral_id        uuid,
    ADD COLUMN assignee_code      text,
    ADD COLUMN assignee_name      text,
    ADD COLUMN priority           text,
    ADD COLUMN routing_reason     text,
    ADD COLUMN next_deadline_stage text,
    ADD COLUMN next_deadline_at   timestamptz,
    ADD COLUMN state_updated_at   timestamptz;

CREATE UNIQUE INDEX reports_hotline_ticket ON reports (hotline_ticket_id) WHERE hotline_ticket_id IS NOT NULL;
CREATE INDEX reports_by_creator ON reports (created_by, created_at DESC);
CREATE INDEX reports_by_time ON reports (created_at DESC);

CREATE TABLE idempotency_keys (
    principal     text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    report_id     uuid        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
