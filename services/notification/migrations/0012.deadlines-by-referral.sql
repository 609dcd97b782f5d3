-- depends: 0011.monitoring-clocks
-- A referral's deadlines are read by its id on every event about it. The partial unique index of 0011 cannot
-- serve a lookup that does not repeat its condition, so without this each read scanned the whole table.
CREATE INDEX deadlines_by_referral ON deadlines (referral_id);
