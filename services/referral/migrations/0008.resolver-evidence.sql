-- depends: 0007.case-numbers-police-and-reopening
-- What each name in the address counted for when the resolver placed the child, kept with referrals opened
-- unrouted or with candidates, so that the hotline supervisors see why it stopped where it did.

ALTER TABLE referrals ADD COLUMN weighed jsonb NOT NULL DEFAULT '[]';
