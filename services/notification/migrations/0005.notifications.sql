-- depends: 0004.policies
-- Who is told and how it went. Receivers are the stations and centres of referral's directory (kept from
-- its events) and the committees that watch an area. A notification goes to one receiver on one channel,
-- once per event that caused it; each delivery attempt is logged. A centre's priority change recomputes
-- the deadlines, and priority_version keeps an older change from undoing a newer one.

ALTER TABLE deadlines ADD COLUMN priority_version integer NOT NULL DEFAULT 1;

CREATE TABLE receivers (
    code         text        NOT NULL,  -- 9-digit station, 6-digit centre, or the code prefix a committee watches
    kind         text        NOT NULL CHECK (kind IN ('station', 'county_centre', 'committee')),
    name         text        NOT NULL,
    email        text,
    sms_phone    text,
    webhook_url  text,
    active       boolean     NOT NULL DEFAULT true,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (kind, code)  -- a county's committee and its centre share the county code
);

CREATE TABLE notifications (
    notification_id  uuid PRIMARY KEY,
    cause_event_id   uuid        NOT NULL,
    kind             text        NOT NULL,
    referral_id      uuid,
    assignee_code    text        NOT NULL,  -- whose case it is, for who may read it
    receiver_code    text        NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('webhook', 'email', 'sms', 'none')),
    address          text        NOT NULL,
    subject          text        NOT NULL,
    body             text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (cause_event_id, receiver_code, channel)
);

CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_by_referral ON notifications (referral_id);
CREATE INDEX notifications_dead ON notifications (created_at) WHERE status = 'dead';

CREATE TABLE delivery_attempts (
    notification_id  uuid        NOT NULL REFERENCES notifications (notification_id),
    attempt          integer     NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    -- in_flight stays when the service died during the attempt; the next attempt follows
    outcome          text        NOT NULL DEFAULT 'in_flight' CHECK (outcome IN ('in_flight', 'delivered', 'failed')),
    error            text,
    PRIMARY KEY (notification_id, attempt)
);
