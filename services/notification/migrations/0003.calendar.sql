-- depends: 0002.stages-and-timers
-- Years of the official calendar published by an administrator (for years the library does not know):
-- the days that break the Monday-to-Friday rule, holidays on weekdays and adjusted working weekends.

CREATE TABLE calendar_years (
    year        integer PRIMARY KEY,
    source      text NOT NULL,
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_days (
    day         date PRIMARY KEY,
    year        integer NOT NULL REFERENCES calendar_years (year) ON DELETE CASCADE,
    is_workday  boolean NOT NULL,
    name        text NOT NULL DEFAULT ''
);
