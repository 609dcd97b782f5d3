"""Property tests for resident ID numbers and phone numbers."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from shared.identifiers import (
    id_birth_date,
    id_check_character,
    id_number_problem,
    is_phone,
    mask_id_number,
    mask_phone,
    normalise_phone,
)

regions = st.from_regex(r"[1-6][0-9]{5}", fullmatch=True)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
sequences = st.from_regex(r"[0-9]{3}", fullmatch=True)


@st.composite
def valid_id_numbers(draw) -> str:
    body = draw(regions) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)
    return body + id_check_character(body)


@given(valid_id_numbers())
def test_a_correct_check_character_is_accepted(id_number):
    assert id_number_problem(id_number) is None
    assert id_birth_date(id_number) is not None


@given(valid_id_numbers(), st.sampled_from("0123456789X"))
def test_any_other_check_character_is_refused(id_number, replacement):
    changed = id_number[:17] + replacement
    assert (id_number_problem(changed) is None) == (replacement == id_number[17])


@given(valid_id_numbers(), st.integers(0, 16), st.integers(1, 9))
def test_a_single_wrong_digit_is_caught(id_number, position, shift):
    digit = str((int(id_number[position]) + shift) % 10)
    changed = id_number[:position] + digit + id_number[position + 1 :]
    assert id_number_problem(changed) is not None


@given(st.text(max_size=30))
def test_any_text_gets_an_answer_and_never_an_exception(text):
    assert id_number_problem(text) in (None, "id_number_format", "id_number_checksum", "id_number_birth_date")
    assert isinstance(is_phone(normalise_phone(text)), bool)


@given(valid_id_numbers())
def test_a_masked_id_number_keeps_only_region_and_last_four(id_number):
    masked = mask_id_number(id_number)
    assert masked == id_number[:6] + "********" + id_number[-4:]


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_numbers_are_phones_and_mask_their_middle(mobile):
    assert is_phone(mobile)
    assert is_phone(normalise_phone(f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"))
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]


@given(st.from_regex(r"0[0-9]{2,3}-?[0-9]{7,8}", fullmatch=True))
def test_landlines_with_an_area_code_are_phones(landline):
    assert is_phone(landline)
    assert landline[-4:] == mask_phone(landline)[-4:]
    assert "****" in mask_phone(landline)


@given(st.from_regex(r"(1[0-2][0-9]{9}|[0-9]{5,8}|1[3-9][0-9]{8})", fullmatch=True))
def test_numbers_of_the_wrong_shape_are_not_phones(number):
    assert not is_phone(number)


def test_the_known_example_id_number():
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("110105194912310021") == "id_number_checksum"
    assert id_number_problem("110105194902300020") is not None  # 30 February
