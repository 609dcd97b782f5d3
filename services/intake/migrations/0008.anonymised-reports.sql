-- depends: 0007.timeline-names-come-later
-- When a report's personal data was removed, its case closed longer than the retention (README, Retention).

ALTER TABLE reports ADD COLUMN anonymised_at timestamptz;
