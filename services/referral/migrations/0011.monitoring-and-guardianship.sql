-- depends: 0010.anonymised-reports
-- A child under monitoring after a guardianship assessment of 一般, 较差 or 危险: its pairing helper (结对帮扶人),
-- the latest follow-up visit and how monitoring ended; and temporary guardianship (临时监护) by the county centre.
-- The helper's name and phone are personal data: the retention removes them with the reports.

ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check
    CHECK (status IN ('unrouted', 'assigned', 'acknowledged', 'monitoring', 'closed'));

ALTER TABLE referrals
    ADD COLUMN monitoring_started_at    timestamptz,
    ADD COLUMN helper_name              text,
    ADD COLUMN helper_phone             text,
    ADD COLUMN helper_named_at          timestamptz,
    ADD COLUMN follow_up_visit_at       timestamptz,
    ADD COLUMN monitoring_ended_at      timestamptz,
    ADD COLUMN monitoring_end_reason    text
        CHECK (monitoring_end_reason IN ('good_assessment', 'turned_18', 'moved_away', 'guardianship')),
    ADD COLUMN guardianship_started_at  timestamptz,
    ADD COLUMN guardianship_placement   text,
    ADD COLUMN guardianship_reason      text,
    ADD COLUMN guardianship_ended_at    timestamptz,
    ADD COLUMN guardianship_decided_at  timestamptz;  -- the centre decided it was not needed

CREATE INDEX referrals_monitoring ON referrals (assignee_code) WHERE status = 'monitoring';
CREATE INDEX referrals_in_guardianship ON referrals (assignee_code)
    WHERE guardianship_started_at IS NOT NULL AND guardianship_ended_at IS NULL;
