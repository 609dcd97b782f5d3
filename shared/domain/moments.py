"""Times people enter (when a call came in, when a visit took place): read as China time when they carry no
zone, and held to a window every service can store and compute with."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from shared.timezones import CHINA

EARLIEST = datetime(2000, 1, 1, tzinfo=CHINA)
CLOCK_SKEW = timedelta(minutes=5)  # a caller's clock may run a little ahead of ours


def aware(moment: datetime) -> datetime:
    """A time given without a zone is taken as China time, as the hotline's clocks show it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def _not_a_number(value: object) -> object:
    """A time is written as a date and time: a number, or a number as text, is not read as seconds since 1970."""
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        raise PydanticCustomError("date_type", "须为日期时间文本（如2026-05-01T08:30:00）")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _in_window(moment: datetime) -> datetime:
    try:
        moment = aware(moment).astimezone(UTC)
    except (OverflowError, ValueError):
        raise PydanticCustomError("date_out_of_range", "时间超出范围") from None
    if moment < EARLIEST:
        raise PydanticCustomError("date_too_early", "时间不能早于2000年")
    if moment > datetime.now(UTC) + CLOCK_SKEW:
        raise PydanticCustomError("future_date", "时间不能晚于当前时间")
    return moment


# A time that has happened: since 2000 and not after now. Stored and compared in UTC.
PastMoment = Annotated[datetime, BeforeValidator(_not_a_number), AfterValidator(_in_window)]
