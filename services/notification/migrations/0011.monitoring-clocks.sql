-- depends: 0010.notifications-keep-trace-context
-- The clocks of a child under monitoring: a helper's and the follow-up visits' are timed by the guardianship
-- assessment level. The follow-up visit repeats: each visit's clock keeps its row (met, or cancelled when
-- monitoring ended) and one runs at a time; every other stage keeps one deadline per referral.
ALTER TABLE deadlines ADD COLUMN level text CHECK (level IN ('fair', 'poor', 'dangerous'));
ALTER TABLE deadlines DROP CONSTRAINT deadlines_referral_id_stage_key;
CREATE UNIQUE INDEX deadlines_one_per_stage ON deadlines (referral_id, stage)
    WHERE stage <> 'follow_up_visit' OR status IN ('pending', 'paused');
