-- depends: 0006.hotline-area
-- The code of the station whose step was recorded before its name was known (the step's event came before the
-- placement's): the placement fills in the name and clears the code.

ALTER TABLE case_timeline ADD COLUMN who_code text;
