-- depends: 0009.idempotency-keys
-- When a report's personal data was removed, its case closed longer than the retention (README, Retention).

ALTER TABLE referral_reports ADD COLUMN anonymised_at timestamptz;
