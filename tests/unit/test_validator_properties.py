"""Properties of the validators, over generated input: they never raise anything but a validation error,
always give a defined answer, and accept exactly what the rules accept."""

import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from services.intake.entrypoints.http.report_request import ReportIn
from services.notification.domain.receivers import ReceiverFields
from services.referral.domain.station_directory import StationFields
from shared.domain.codes import Concern
from shared.http_errors import _describe
from shared.identifiers import (
    id_check_character,
    id_number_problem,
    is_phone,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    normalise_phone,
)

PROBLEMS = {None, "id_number_format", "id_number_checksum", "id_number_birth_date"}
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=15,
)
DIGITS_ANY_SCRIPT = st.text(alphabet=st.characters(categories=["Nd"]), min_size=17, max_size=18)
ID_LIKE = st.one_of(st.text(max_size=25), st.from_regex(r"\d{17}[\dXx]", fullmatch=True), DIGITS_ANY_SCRIPT)
PHONE_LIKE = st.one_of(st.text(max_size=20), st.from_regex(r"(\+86)?1[3-9]\d{9}", fullmatch=True), DIGITS_ANY_SCRIPT)


@st.composite
def valid_id_numbers(draw) -> str:
    region = draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
    born = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31)))
    first_17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first_17 + id_check_character(first_17)


@given(ID_LIKE)
def test_any_id_text_gets_a_defined_answer(text):
    assert id_number_problem(normalise_id_number(text)) in PROBLEMS


@given(valid_id_numbers())
def test_every_well_formed_id_number_is_accepted_and_masked(id_number):
    assert id_number_problem(id_number) is None
    masked = mask_id_number(id_number)
    assert masked[:6] == id_number[:6] and masked[-4:] == id_number[-4:] and "*" * 8 in masked


@given(valid_id_numbers(), st.integers(0, 16), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught_by_the_check_character(id_number, position, shift):
    wrong = id_number[:position] + str((int(id_number[position]) + shift) % 10) + id_number[position + 1 :]
    assert id_number_problem(wrong) in ("id_number_checksum", "id_number_birth_date")


@given(PHONE_LIKE)
def test_any_phone_text_gets_a_defined_answer_and_an_accepted_one_is_ascii(text):
    phone = normalise_phone(text)
    if is_phone(phone):
        assert set(phone) <= set(string.digits + "-")
        assert "****" in mask_phone(phone)


@given(DIGITS_ANY_SCRIPT)
def test_an_accepted_id_number_is_in_ascii_digits(text):
    id_number = normalise_id_number(text)
    if id_number_problem(id_number) is None:
        assert set(id_number) <= set(string.digits + "X")


CHILD = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(max_size=40) | JSON,
        "age": st.integers(-5, 30) | JSON,
        "birth_date": st.dates().map(str) | JSON,
        "id_number": ID_LIKE | JSON,
        "division_code": st.from_regex(r"\d{0,12}", fullmatch=True)
        | st.sampled_from(["１４０７２４１０４", "١٤٠٧٢٤١٠٤"]),
        "address": st.text(max_size=60),
        "status": st.lists(st.text(max_size=12), max_size=3) | JSON,
    },
)
REPORTER = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(max_size=20),
        "phone": PHONE_LIKE | JSON,
        "mandatory_reporter": st.booleans() | JSON,
        "institution_type": st.sampled_from(["school", "hospital", "x"]) | JSON,
        "consents_to_share_identity": st.booleans(),
    },
)
REPORTS = (
    st.fixed_dictionaries(
        {
            "child": CHILD | JSON,
            "concerns": st.lists(st.sampled_from([c.value for c in Concern]) | JSON, max_size=4) | JSON,
            "narrative": st.text(max_size=60) | JSON,
        },
        optional={
            "reporter": REPORTER | JSON,
            "received_at": st.datetimes().map(lambda moment: moment.isoformat()) | JSON,
            "immediate_danger": st.booleans() | JSON,
            "hotline_ticket_id": st.text(max_size=45) | JSON,
            "channel": st.text(max_size=10) | JSON,
        },
    )
    | JSON
)
ORGANISATIONS = st.fixed_dictionaries(
    {"name": st.text(max_size=70) | JSON},
    optional={
        "kind": st.sampled_from(["station", "county_centre", "x"]),
        "county_code": st.from_regex(r"\d{0,7}", fullmatch=True),
        "phone": PHONE_LIKE,
        "sms_phone": PHONE_LIKE,
        "email": st.emails() | st.text(max_size=30),
        "webhook_url": st.text(max_size=40) | st.sampled_from(["https://example.org/hook", "ftp://x", "http://"]),
    },
)


def _validated_or_named(model: type[BaseModel], body: object) -> BaseModel | None:
    """The validated model; or None, after checking that the refusal names each bad field in words."""
    try:
        return model.model_validate(body)
    except ValidationError as refusal:
        problems = [_describe(error) for error in refusal.errors()]
        assert problems and all(problem.field and problem.code and problem.message for problem in problems)
        return None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTS)
def test_any_report_body_is_accepted_or_refused_field_by_field(body):
    report = _validated_or_named(ReportIn, body)
    if report is not None:  # what is stored and routed on is in ASCII digits
        for code in (report.child.division_code, report.child.hukou_division_code, report.child.id_number):
            assert code is None or set(code) <= set(string.digits + "X")


@pytest.mark.parametrize("model", [StationFields, ReceiverFields])
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=ORGANISATIONS)
def test_any_directory_entry_is_accepted_or_refused_field_by_field(model, body):
    _validated_or_named(model, body)


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=9, max_size=12), st.booleans())
def test_a_division_code_in_any_script_is_stored_in_ascii_digits_or_refused(code, full_width):
    if full_width:
        code = "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in code)
    report = _validated_or_named(
        ReportIn, {"child": {"division_code": code}, "concerns": ["neglect"], "narrative": "x"}
    )
    assert report is None or set(report.child.division_code) <= set(string.digits)


def test_full_width_digits_typed_with_a_chinese_input_method_are_read_as_digits():
    child = {"division_code": "１４０７２４１０４", "id_number": "１４０７２４２０１５０３１５００２９"}
    report = ReportIn.model_validate({"child": child, "concerns": ["neglect"], "narrative": "x"})
    assert (report.child.division_code, report.child.id_number) == ("140724104", "140724201503150029")
