-- depends: 0002.divisions
-- Villages join the division tree (12-digit codes under their township), and aliases name townships
-- renamed or merged since the data's edition, and development zones filed under a township code.

ALTER TABLE divisions DROP CONSTRAINT divisions_level_check;
ALTER TABLE divisions ADD CONSTRAINT divisions_level_check
    CHECK (level IN ('province', 'city', 'county', 'township', 'village'));

CREATE TABLE division_aliases (
    alias        text NOT NULL,
    target_code  text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('renamed', 'merged', 'development_zone')),
    note         text NOT NULL DEFAULT '',
    PRIMARY KEY (alias, target_code)
);
