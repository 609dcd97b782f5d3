-- depends: 0004.villages-and-aliases
-- A referral's life after routing: the station's actions, linked repeat reports, information copies.

ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check
    CHECK (status IN ('unrouted', 'assigned', 'acknowledged', 'closed'));

ALTER TABLE referrals
    ADD COLUMN version             integer NOT NULL DEFAULT 1,
    ADD COLUMN child_key           text,
    ADD COLUMN match_method        text,
    ADD COLUMN candidates          jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN decline_count       integer NOT NULL DEFAULT 0,
    ADD COLUMN report_count        integer NOT NULL DEFAULT 1,
    ADD COLUMN acknowledged_at     timestamptz,
    ADD COLUMN first_contact_at    timestamptz,
    ADD COLUMN home_visit_at       timestamptz,
    ADD COLUMN assessed_at         timestamptz,
    ADD COLUMN assessment          text CHECK (assessment IN ('good', 'fair', 'poor', 'dangerous')),
    ADD COLUMN police_notified_at  timestamptz,
    ADD COLUMN closed_at           timestamptz,
    ADD COLUMN outcome             text;

CREATE INDEX referrals_open_by_child ON referrals (child_key) WHERE status <> 'closed';
CREATE INDEX referrals_unrouted ON referrals (created_at) WHERE status = 'unrouted';

-- Every report a referral holds: the one that opened it and the repeats linked to it.
CREATE TABLE referral_reports (
    report_id    uuid PRIMARY KEY,
    referral_id  uuid NOT NULL REFERENCES referrals (referral_id),
    child_key    text,
    received_at  timestamptz NOT NULL,
    linked       boolean NOT NULL,
    report       jsonb NOT NULL
);

CREATE INDEX referral_reports_by_referral ON referral_reports (referral_id, received_at);
CREATE INDEX referral_reports_by_child ON referral_reports (child_key, received_at) WHERE child_key IS NOT NULL;

-- Stations that hold a copy for information (the child's household registration is theirs).
CREATE TABLE referral_copies (
    referral_id   uuid NOT NULL REFERENCES referrals (referral_id),
    station_code  text NOT NULL REFERENCES stations (code),
    reason        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (referral_id, station_code)
);

CREATE INDEX referral_copies_by_station ON referral_copies (station_code);
