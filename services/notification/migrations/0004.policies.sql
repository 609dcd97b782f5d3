-- depends: 0003.calendar
-- Deadline policies, versioned: an admin's change makes a new version, and a deadline keeps the version
-- it was created under.

CREATE TABLE deadline_policies (
    version     integer PRIMARY KEY,
    limits      jsonb NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE deadlines ADD COLUMN policy_version integer REFERENCES deadline_policies (version);
