-- depends: 0006.deadlines-by-holder
-- The unrouted queue has clocks: a dispatch deadline held by the hotline supervisors (assignee 'hotline'),
-- with the area the child is known to be in, for whose committee is told. While a referral waits there,
-- its holder's stage clocks are paused; they start again for its next holder. The hotline supervisors' lead
-- is a receiver an administrator enters.

ALTER TABLE deadlines ADD COLUMN area_code text;
ALTER TABLE deadlines DROP CONSTRAINT deadlines_status_check;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_status_check
    CHECK (status IN ('pending', 'paused', 'met', 'cancelled'));

ALTER TABLE receivers DROP CONSTRAINT receivers_kind_check;
ALTER TABLE receivers ADD CONSTRAINT receivers_kind_check
    CHECK (kind IN ('station', 'county_centre', 'committee', 'hotline'));
