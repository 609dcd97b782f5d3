from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from shared.domain.moments import PastMoment


class Visit(BaseModel):
    at: PastMoment


def error_of(value: str) -> str:
    with pytest.raises(ValidationError) as raised:
        Visit(at=value)
    return raised.value.errors()[0]["type"]


def test_a_time_without_a_zone_is_china_time():
    assert Visit(at="2026-03-01T08:00:00").at == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


def test_year_one_at_either_edge_of_the_zones_is_refused_not_an_overflow():
    assert error_of("0001-01-01T00:00:00-14:00") == "date_too_early"
    assert error_of("0001-01-01T00:00:00+14:00") == "date_out_of_range"


def test_times_before_2000_and_in_the_future_are_refused():
    assert error_of("1900-06-01T00:00:00+08:00") == "date_too_early"
    assert error_of("9999-12-31T23:59:59+08:00") == "future_date"
    assert error_of((datetime.now(UTC) + timedelta(hours=1)).isoformat()) == "future_date"


def test_a_time_just_now_passes():
    now = datetime.now(UTC)
    assert Visit(at=now.isoformat()).at == now


@pytest.mark.parametrize("value", [1_700_000_000, 1.7e9, "1700000000", "1.7e9", " 1700000000 ", True, "inf"])
def test_a_number_or_a_number_as_text_is_not_a_time(value):
    assert error_of(value) == "date_type"
