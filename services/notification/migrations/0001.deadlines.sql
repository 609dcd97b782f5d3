-- depends: 0001.outbox-and-inbox

CREATE TABLE deadlines (
    deadline_id    uuid PRIMARY KEY,
    referral_id    uuid        NOT NULL,
    report_id      uuid        NOT NULL,
    stage          text        NOT NULL,
    priority       text        NOT NULL CHECK (priority IN ('P1', 'P2', 'P3')),
    assignee_code  text        NOT NULL,
    starts_at      timestamptz NOT NULL,
    due_at         timestamptz NOT NULL,
    provisional    boolean     NOT NULL,
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'met', 'cancelled')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (referral_id, stage)
);

CREATE INDEX deadlines_pending_due ON deadlines (due_at) WHERE status = 'pending';
