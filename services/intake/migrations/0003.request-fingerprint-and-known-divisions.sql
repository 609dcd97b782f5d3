-- depends: 0002.report-details-and-status
-- The fingerprint of the request each report came from (the same 12345 ticket with another body is a
-- conflict), and the division codes intake accepts (the national gazetteer's codes, loaded by
-- services.intake.entrypoints.cli.load_divisions) with where they came from.

ALTER TABLE reports ADD COLUMN request_hash text;

CREATE TABLE known_divisions (
    code   text PRIMARY KEY,
    level  text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village'))
);

CREATE TABLE reference_data (
    dataset      text PRIMARY KEY,
    source       text NOT NULL,
    checksum     text NOT NULL,
    rows         integer NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now()
);
