-- depends: 0004.stuck-reports
-- The case each report is part of, followed to its end: one row per referral (every report linked to it
-- follows it), its timeline, the hotline's callbacks (回访), the steps announced to the 12345 platform and the
-- reporter, and the receipts of mandatory reporters.

ALTER TABLE reports
    ADD COLUMN platform_client       text,         -- the 12345 platform client that filed it, if one did
    ADD COLUMN receipt_number        text UNIQUE,  -- a mandatory reporter's receipt
    ADD COLUMN reporter_phone_hash   text,         -- keyed hash of the phone, to look the receipt up with
    ADD COLUMN called_back_at        timestamptz;

CREATE TABLE cases (
    referral_id      uuid        PRIMARY KEY,
    report_id        uuid,                  -- the report the referral was opened for, once known
    case_number      text,
    version          integer     NOT NULL,  -- the referral's version last applied
    rank             smallint    NOT NULL DEFAULT 0,  -- of one version, an action (1) says more than a placement (0)
    status           text        NOT NULL,
    priority         text        NOT NULL,
    assignee_code    text,
    assignee_name    text,
    outcome          text,
    closed_at        timestamptz,
    callback_due_at  timestamptz,           -- the hotline's 回访 deadline
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reports_by_referral ON reports (referral_id) WHERE referral_id IS NOT NULL;

CREATE TABLE case_timeline (
    id           bigserial   PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    referral_id  uuid,
    report_id    uuid,         -- set for an entry of one report only
    at           timestamptz NOT NULL,
    what         text        NOT NULL,
    who          text,         -- a station or centre by name, or the kind of body: never a person
    detail       text
);

CREATE INDEX case_timeline_by_referral ON case_timeline (referral_id, at);
CREATE INDEX case_timeline_by_report ON case_timeline (report_id, at);

CREATE TABLE callbacks (
    callback_id   uuid        PRIMARY KEY,
    report_id     uuid        NOT NULL REFERENCES reports (report_id),
    reached       boolean     NOT NULL,
    satisfaction  text,
    notes         text,        -- stays in intake: never in an event or a log
    at            timestamptz NOT NULL,
    recorded_by   text        NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX callbacks_by_report ON callbacks (report_id, at);

-- Each step once per report and version of its referral: a replayed event announces nothing new.
CREATE TABLE progress_announced (
    report_id  uuid    NOT NULL,
    milestone  text    NOT NULL,
    version    integer NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (report_id, milestone, version)
);
