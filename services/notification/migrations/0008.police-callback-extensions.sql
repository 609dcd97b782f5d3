-- depends: 0007.unrouted-clocks
-- The case number people read (kept with the referral's clocks), requests for more time on a stage (延期)
-- and the county centre's decision, and the 12345 platform clients told of a report's progress.

ALTER TABLE deadlines ADD COLUMN case_number text;
-- An approved extension keeps its due time when a priority change re-times the other stages.
ALTER TABLE deadlines ADD COLUMN extended boolean NOT NULL DEFAULT false;

CREATE TABLE extensions (
    extension_id     uuid PRIMARY KEY,
    deadline_id      uuid        NOT NULL REFERENCES deadlines (deadline_id),
    requested_by     text        NOT NULL,  -- role:scope of who asked
    reason           text        NOT NULL,
    due_at           timestamptz NOT NULL,  -- the deadline when asked
    requested_until  timestamptz NOT NULL,
    requested_at     timestamptz NOT NULL,
    decision         text        NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'refused')),
    decided_by       text,
    decided_at       timestamptz
);

-- At most one request waits on a deadline.
CREATE UNIQUE INDEX extensions_one_pending ON extensions (deadline_id) WHERE decision = 'pending';

ALTER TABLE receivers DROP CONSTRAINT receivers_kind_check;
ALTER TABLE receivers ADD CONSTRAINT receivers_kind_check
    CHECK (kind IN ('station', 'county_centre', 'committee', 'hotline', 'platform'));

-- 督办 issued by hand by a committee member, with the member's note (kept here, never sent in a notice).
CREATE TABLE supervisions (
    supervision_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deadline_id     uuid        NOT NULL REFERENCES deadlines (deadline_id),
    issued_by       text        NOT NULL,
    note            text        NOT NULL,
    issued_at       timestamptz NOT NULL
);
