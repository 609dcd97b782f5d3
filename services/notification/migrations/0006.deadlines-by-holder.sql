-- depends: 0005.notifications
-- A station's running clocks (its inbox), and an area's overdue stages (a code prefix).

CREATE INDEX deadlines_pending_by_holder ON deadlines (assignee_code text_pattern_ops, due_at) WHERE status = 'pending';
