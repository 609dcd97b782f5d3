"""The SQL of a referral's stage clocks that is longer than a line."""

SO_FAR = """
SELECT r.referral_id,
       (SELECT max(assignee_version) FROM deadlines d WHERE d.referral_id = r.referral_id) AS holder_version,
       EXISTS (SELECT 1 FROM closed_referrals c WHERE c.referral_id = r.referral_id) AS closed,
       ARRAY(SELECT stage FROM stage_completions s WHERE s.referral_id = r.referral_id ORDER BY stage) AS stages,
       ARRAY(SELECT completed_at FROM stage_completions s WHERE s.referral_id = r.referral_id ORDER BY stage)
           AS completed_at,
       ARRAY(SELECT ARRAY[stage, deadline_id::text, status, coalesce(level, '')] FROM deadlines d
             WHERE d.referral_id = r.referral_id ORDER BY status IN ('pending', 'paused'), created_at, starts_at)
           AS deadlines
FROM unnest($1::uuid[]) AS r(referral_id)
"""
START = (
    "INSERT INTO deadlines (deadline_id, referral_id, report_id, stage, priority, assignee_code, starts_at, due_at, "
    "provisional, status, met_at, assignee_version, policy_version, priority_version, area_code, case_number, level) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $14, $15, $16) "
    "ON CONFLICT (deadline_id) DO UPDATE SET priority = EXCLUDED.priority, assignee_code = EXCLUDED.assignee_code, "
    "starts_at = EXCLUDED.starts_at, due_at = EXCLUDED.due_at, provisional = EXCLUDED.provisional, "
    "status = EXCLUDED.status, met_at = EXCLUDED.met_at, assignee_version = EXCLUDED.assignee_version, "
    "policy_version = EXCLUDED.policy_version, priority_version = EXCLUDED.priority_version, "
    "area_code = EXCLUDED.area_code, case_number = COALESCE(EXCLUDED.case_number, deadlines.case_number), "
    "level = EXCLUDED.level, extended = false"
)
START_TIMER = (
    "INSERT INTO timers (timer_id, deadline_id, kind, fire_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (deadline_id, kind) DO UPDATE SET fire_at = EXCLUDED.fire_at, status = 'pending', "
    "fired_at = NULL, late = NULL"
)


# The holder's clocks; the hotline's callback stays with the hotline whoever holds the case, and the decision
# on temporary guardianship with the county centre.
HOLDERS_ONLY = "stage NOT IN ('dispatch', 'callback', 'guardianship_decision')"
