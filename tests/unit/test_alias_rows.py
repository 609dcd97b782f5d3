"""reference/division_aliases.csv checked against the national gazetteer before it is imported."""

import csv

from services.referral.adapters.division_loading import ALIASES_CSV
from services.referral.domain.alias_rows import alias_problems
from shared.domain.divisions import county_of


def _checked(gazetteer, rows):
    levels = {code: division.level for code, division in gazetteer.by_code.items()}
    counties = {county_of(row["target_code"]) for row in rows}
    names = {d.name for code, d in gazetteer.by_code.items() if d.level == "township" and county_of(code) in counties}
    return alias_problems(rows, levels, names)


def test_the_shipped_aliases_all_pass(gazetteer):
    with ALIASES_CSV.open(encoding="utf-8") as handle:
        assert _checked(gazetteer, list(csv.DictReader(handle))) == []


def test_each_bad_row_is_named_by_its_line(gazetteer):
    rows = [
        {"alias": "城东新区", "target_code": "140702001", "kind": "development_zone"},  # fine
        {"alias": "大寨镇", "target_code": "140724102", "kind": "renamed"},  # a live township of the county
        {"alias": "城东新区", "target_code": "140702001", "kind": "renamed"},  # twice
        {"alias": "某某镇", "target_code": "140724", "kind": "renamed"},  # a county, not a township
        {"alias": "另一镇", "target_code": "999999999", "kind": "moved"},  # unknown code and kind
        {"alias": " ", "target_code": "140724104", "kind": "merged"},
    ]
    assert _checked(gazetteer, rows) == [
        "line 3: alias 大寨镇 is already the name of a township of its county",
        "line 4: alias 城东新区 is given twice",
        "line 5: target_code 140724 is not a township of the gazetteer",
        "line 6: target_code 999999999 is not a township of the gazetteer",
        "line 6: kind moved is not one of renamed, merged, development_zone",
        "line 7: alias is empty",
    ]
