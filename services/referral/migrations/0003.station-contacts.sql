-- depends: 0002.divisions
-- A named contact and a number for SMS notices per station; the directory is listed by county.

ALTER TABLE stations
    ADD COLUMN contact_name text,
    ADD COLUMN sms_phone    text;

CREATE INDEX stations_by_county ON stations (county_code, kind, code);
