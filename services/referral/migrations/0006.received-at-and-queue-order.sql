-- depends: 0005.referral-lifecycle
-- A referral knows when its first report came in: a station's action cannot have happened before it.
-- The unrouted queue is read by priority, then oldest first.

ALTER TABLE referrals ADD COLUMN received_at timestamptz;
UPDATE referrals r SET received_at = coalesce(
    (SELECT rr.received_at FROM referral_reports rr WHERE rr.report_id = r.report_id), r.created_at
);
ALTER TABLE referrals ALTER COLUMN received_at SET NOT NULL;

DROP INDEX referrals_unrouted;
CREATE INDEX referrals_unrouted ON referrals (priority, created_at) WHERE status = 'unrouted';
