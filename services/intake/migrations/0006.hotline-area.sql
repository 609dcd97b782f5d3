-- depends: 0005.case-progress-callbacks-receipts
-- The area of the hotline centre whose operator (or 12345 platform client) took the report: the operators of that
-- area see it beside those of the child's division, and only they see the reporter's identity. NULL on reports
-- taken before it was kept.

ALTER TABLE reports ADD COLUMN hotline_area text;
