-- depends: 0003.request-fingerprint-and-known-divisions
-- Reports that went no further. Every dead letter intake has seen, once per position (the report it is
-- about when the body names one of intake's reports); and each report that is stuck, for why and since
-- when, until a referral comes of it. A report is stuck for a reason at most once at a time.

CREATE TABLE dead_letters (
    topic           text        NOT NULL,  -- the dead-letter topic
    partition       integer     NOT NULL,
    "offset"        bigint      NOT NULL,
    set_aside_at    timestamptz NOT NULL,
    source_topic    text,
    consumer_group  text,
    error           text        NOT NULL,  -- error kinds and field names, never values
    report_id       uuid REFERENCES reports (report_id),  -- NULL: about no report intake knows
    event_id        uuid,
    seen_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);

CREATE INDEX dead_letters_without_report ON dead_letters (set_aside_at) WHERE report_id IS NULL;

CREATE TABLE stuck_reports (
    id              bigserial   PRIMARY KEY,
    report_id       uuid        NOT NULL REFERENCES reports (report_id),
    reason          text        NOT NULL CHECK (reason IN ('dead_lettered', 'no_referral')),
    since           timestamptz NOT NULL,
    error           text,
    source_topic    text,
    consumer_group  text,
    event_id        uuid,  -- the event set aside, when its body named it
    noticed_at      timestamptz NOT NULL DEFAULT now(),
    cleared_at      timestamptz
);

CREATE UNIQUE INDEX stuck_reports_open ON stuck_reports (report_id, reason) WHERE cleared_at IS NULL;
CREATE INDEX stuck_reports_open_events ON stuck_reports (event_id) WHERE cleared_at IS NULL;
CREATE INDEX reports_waiting ON reports (created_at) WHERE routing_state = 'received';
