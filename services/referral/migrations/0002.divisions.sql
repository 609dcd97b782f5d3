-- depends: 0001.stations-and-referrals
-- The national division tree (NBS 2023): provinces (2 digits), cities (4), counties (6), townships (9).

CREATE TABLE divisions (
    code         text PRIMARY KEY,
    name         text NOT NULL,
    parent_code  text,
    level        text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township'))
);

CREATE INDEX divisions_by_parent ON divisions (parent_code, code);

CREATE TABLE reference_data (
    dataset      text PRIMARY KEY,
    source       text NOT NULL,
    checksum     text NOT NULL,
    rows         integer NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now()
);
