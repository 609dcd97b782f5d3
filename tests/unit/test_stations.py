"""The stations directory's rules: one field at a time (the model), across fields and against the
division tree (`station_problems`), and the CSV import's line-by-line report."""

import io
from typing import Any

import pytest
from pydantic import ValidationError

from services.referral.adapters.station_csv import parse_stations
from services.referral.domain.station_directory import StationIn, station_problems

TREE = {"140724": "county", "140724104": "township", "442000": "county", "442000118": "township", "1407": "city"}


def station(**overrides: Any) -> dict[str, Any]:
    values = {"code": "140724104", "kind": "station", "name": "昔阳县大寨镇未成年人保护工作站", "county_code": "140724"}
    return values | overrides


def centre(**overrides: Any) -> dict[str, Any]:
    return station(code="140724", kind="county_centre", name="昔阳县未成年人救助保护中心") | overrides


def field_errors(values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        StationIn.model_validate(values)
    return {".".join(map(str, e["loc"])): e["type"] for e in raised.value.errors()}


@pytest.mark.parametrize(
    "values",
    [
        station(),
        centre(),
        centre(code="442000", county_code="442000", name="中山市未成年人救助保护中心"),
        station(phone="13800138000", sms_phone="19912345678"),
        station(phone="0354-4123456", sms_phone="03544123456"),
        station(phone="020-12345678"),
        station(phone=" 138 0013 8000 "),
        station(phone="", sms_phone="", email="", webhook_url="", contact_name=""),
        station(email="dazhai@example.cn", webhook_url="https://hooks.example.cn/dazhai", contact_name="李督导"),
        station(webhook_url="http://10.0.0.5:8080/notify"),
        station(active=False),
        station(name="两字"),
        station(name="站" * 60),
    ],
)
def test_a_well_formed_station_passes(values):
    assert station_problems(StationIn.model_validate(values), TREE) == []


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        (station(code="14072410"), "code", "string_pattern_mismatch"),
        (station(code="14072410a"), "code", "string_pattern_mismatch"),
        (station(code="140724104201"), "code", "string_pattern_mismatch"),
        (station(kind="village"), "kind", "enum"),
        (station(name="站"), "name", "name_length"),
        (station(name="  "), "name", "name_length"),
        (station(name="站" * 61), "name", "name_length"),
        (station(county_code="1407"), "county_code", "string_pattern_mismatch"),
        (station(phone="12345678901"), "phone", "phone_format"),
        (station(phone="4123456"), "phone", "phone_format"),
        (station(sms_phone="1380013800"), "sms_phone", "phone_format"),
        (station(email="dazhai.example.cn"), "email", "email_format"),
        (station(email="da zhai@example.cn"), "email", "email_format"),
        (station(webhook_url="ftp://hooks.example.cn/x"), "webhook_url", "url_format"),
        (station(webhook_url="hooks.example.cn/x"), "webhook_url", "url_format"),
        (station(contact_name="李" * 51), "contact_name", "string_too_long"),
        (station(active="false"), "active", "bool_type"),
        (station(colour="red"), "colour", "extra_forbidden"),
        ({"code": "140724104"}, "name", "missing"),
    ],
)
def test_a_bad_field_is_named(values, field, code):
    assert field_errors(values)[field] == code


def test_every_bad_field_is_named_at_once():
    errors = field_errors(station(name="", phone="1", email="x", webhook_url="x"))
    assert set(errors) == {"name", "phone", "email", "webhook_url"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (station(kind="county_centre"), [("code", "code_length_for_kind")]),
        (centre(kind="station"), [("code", "code_length_for_kind")]),
        (station(county_code="140725"), [("county_code", "county_code_mismatch")]),
        (centre(county_code="140725"), [("county_code", "county_code_mismatch")]),
        (station(code="140724999"), [("code", "unknown_division")]),
        (centre(code="140799", county_code="140799"), [("code", "unknown_division")]),
        (
            station(code="140724999", county_code="140725"),
            [("county_code", "county_code_mismatch"), ("code", "unknown_division")],
        ),
    ],
)
def test_rules_across_fields_and_the_division_tree(values, expected):
    problems = station_problems(StationIn.model_validate(values), TREE)
    assert [(p.field, p.code) for p in problems] == expected
    assert all(p.message for p in problems)


def test_a_code_at_the_wrong_level_of_the_tree_is_refused():
    tree = {"140724104": "county", "140724": "township"}
    for values in (station(), centre()):
        problems = station_problems(StationIn.model_validate(values), tree)
        assert [(p.field, p.code) for p in problems] == [("code", "division_level")]


def test_without_a_division_tree_only_the_shape_of_the_code_counts():
    assert station_problems(StationIn.model_validate(station(code="140724999")), None) == []
    assert station_problems(StationIn.model_validate(station(code="140724999")), {}) != []


HEADER = "code,kind,name,county_code,phone,email,webhook_url\n"


def parse(text: str):
    return parse_stations(io.StringIO(text))


def test_a_good_file_gives_each_station_with_its_line():
    stations, problems = parse(
        HEADER + "140724,county_centre,昔阳县中心,140724,,,\n140724104,station,大寨镇站,140724,,,\n"
    )
    assert problems == []
    assert [(line, s.code) for line, s in stations] == [(2, "140724"), (3, "140724104")]


def test_the_new_columns_are_optional_and_accepted():
    text = "code,kind,name,county_code,contact_name,sms_phone,active\n"
    text += "140724104,station,大寨镇站,140724,李督导,13800138000,false\n"
    [(_, parsed)], problems = parse(text)
    assert problems == []
    assert (parsed.contact_name, parsed.sms_phone, parsed.active) == ("李督导", "13800138000", False)
    assert "phone" not in parsed.model_fields_set  # left out: the import keeps what the database has


def test_bad_rows_are_named_by_line_and_field_without_their_values():
    text = HEADER + "140724104,station,大寨镇站,140724,13800138000,,\n140724105,station,X,140724,1380013800,,\n"
    text += "140724104,station,大寨镇站,140724,,,\n140724106,station,站名,140724,,,,extra\n"
    _, problems = parse(text)
    assert [(p.line, p.problem.field, p.problem.code) for p in problems] == [
        (3, "name", "name_length"),
        (3, "phone", "phone_format"),
        (4, "code", "duplicate_code"),
        (5, "row", "too_many_values"),
    ]
    printed = "\n".join(map(str, problems))
    assert "1380013800" not in printed and "X," not in printed
    assert "line 3, field phone" in printed


def test_a_header_without_a_required_column_or_with_an_unknown_one_is_refused():
    stations, problems = parse("code,kind,county_code,fax\n140724104,station,140724,x\n")
    assert stations == []
    assert [(p.line, p.problem.field, p.problem.code) for p in problems] == [
        (1, "name", "missing_column"),
        (1, "fax", "extra_forbidden"),
    ]
