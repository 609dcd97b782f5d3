-- depends: 0001.deadlines
-- Every stage's deadline with its durable timers (reminder at 75%, breach at the deadline, supervision
-- half a stage later), and the stages a referral has completed, kept even when the completion arrives
-- before the assignment that starts the clock.

ALTER TABLE deadlines
    ADD COLUMN met_at            timestamptz,
    ADD COLUMN assignee_version  integer NOT NULL DEFAULT 1;

CREATE TABLE timers (
    timer_id     uuid PRIMARY KEY,
    deadline_id  uuid        NOT NULL REFERENCES deadlines (deadline_id),
    kind         text        NOT NULL CHECK (kind IN ('reminder', 'breach', 'supervision')),
    fire_at      timestamptz NOT NULL,
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
    fired_at     timestamptz,
    late         boolean,
    UNIQUE (deadline_id, kind)
);

CREATE INDEX timers_pending_due ON timers (fire_at) WHERE status = 'pending';

CREATE TABLE stage_completions (
    referral_id   uuid        NOT NULL,
    stage         text        NOT NULL,
    completed_at  timestamptz NOT NULL,
    PRIMARY KEY (referral_id, stage)
);

CREATE TABLE closed_referrals (
    referral_id  uuid PRIMARY KEY,
    closed_at    timestamptz NOT NULL
);
