-- depends: 0006.received-at-and-queue-order
-- Case numbers people read aloud (晋中-2026-000123): one counter row per area and year, taken in the
-- transaction that opens the referral, so that two openings never get the same number. A number lost to a
-- rolled-back or refused opening is a gap, never a repeat.
-- The police's side of a case: which station was told, its case number, and what the police did.

CREATE TABLE case_number_counters (
    area         text NOT NULL,
    year         integer NOT NULL,
    last_number  integer NOT NULL,
    PRIMARY KEY (area, year)
);

ALTER TABLE referrals
    ADD COLUMN case_number          text UNIQUE,
    ADD COLUMN police_station       text,
    ADD COLUMN police_case_number   text,
    ADD COLUMN police_feedback      text,
    ADD COLUMN police_feedback_at   timestamptz,
    ADD COLUMN reopened_at          timestamptz;
