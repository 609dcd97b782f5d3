-- depends: 0001.outbox-and-inbox

CREATE TABLE stations (
    code          text PRIMARY KEY,           -- 9-digit township code, or 6-digit county code for a centre
    kind          text NOT NULL CHECK (kind IN ('station', 'county_centre')),
    name          text NOT NULL,
    county_code   text NOT NULL,
    phone         text,
    email         text,
    webhook_url   text,
    active        boolean NOT NULL DEFAULT true,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE referrals (
    referral_id      uuid PRIMARY KEY,
    report_id        uuid NOT NULL UNIQUE,
    status           text NOT NULL CHECK (status IN ('assigned', 'unrouted')),
    assignee_code    text REFERENCES stations (code),
    priority         text NOT NULL CHECK (priority IN ('P1', 'P2', 'P3')),
    police_required  boolean NOT NULL,
    routing_reason   text NOT NULL,
    division_code    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX referrals_assignee ON referrals (assignee_code, status);

CREATE TABLE referral_history (
    id           bigserial PRIMARY KEY,
    referral_id  uuid NOT NULL REFERENCES referrals (referral_id),
    action       text NOT NULL,
    actor        text NOT NULL,
    detail       jsonb NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX referral_history_by_referral ON referral_history (referral_id, id);
