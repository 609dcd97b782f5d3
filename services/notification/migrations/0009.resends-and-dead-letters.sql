-- depends: 0008.police-callback-extensions
-- An administrator may send a dead notification again: it goes back to pending with a fresh count of
-- attempts, and the log keeps each round apart (round 0 is the first sending, each resend the next).
-- The dead letters of every topic, as the hotline supervisors are shown them: where each lies, when and why
-- it was set aside, and the report and referral it is about when its body named them; never the body.

ALTER TABLE notifications ADD COLUMN resends integer NOT NULL DEFAULT 0;

ALTER TABLE delivery_attempts ADD COLUMN round integer NOT NULL DEFAULT 0;
ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_pkey;
ALTER TABLE delivery_attempts ADD PRIMARY KEY (notification_id, round, attempt);

CREATE TABLE dead_letters (
    topic           text        NOT NULL,  -- the dead-letter topic
    partition       integer     NOT NULL,
    "offset"        bigint      NOT NULL,
    set_aside_at    timestamptz NOT NULL,
    source_topic    text,
    consumer_group  text,
    error           text        NOT NULL,  -- error kinds and field names, never values
    report_id       uuid,
    referral_id     uuid,
    event_id        uuid,
    seen_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);

CREATE INDEX dead_letters_newest ON dead_letters (set_aside_at DESC);
CREATE INDEX deadlines_by_report ON deadlines (report_id);
