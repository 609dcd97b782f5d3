-- depends: 0011.monitoring-and-guardianship
-- The child directors of villages (村(居)儿童主任), and the tasks a station hands to them: at most one open task
-- of a kind per referral.

CREATE TABLE village_directors (
    village_code  text PRIMARY KEY CHECK (village_code ~ '^[0-9]{12}$'),
    name          text NOT NULL,
    phone         text,
    active        boolean NOT NULL DEFAULT true,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE referral_tasks (
    task_id       uuid PRIMARY KEY,
    referral_id   uuid NOT NULL REFERENCES referrals (referral_id),
    kind          text NOT NULL CHECK (kind IN ('contact', 'home_visit', 'follow_up_visit')),
    village_code  text NOT NULL,
    handed_at     timestamptz NOT NULL,
    closed_at     timestamptz
);

CREATE UNIQUE INDEX referral_tasks_one_open_of_a_kind ON referral_tasks (referral_id, kind) WHERE closed_at IS NULL;
CREATE INDEX referral_tasks_open_in_village ON referral_tasks (village_code, handed_at DESC) WHERE closed_at IS NULL;
