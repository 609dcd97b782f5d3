from datetime import datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def as_aware(moment: datetime) -> datetime:
    """A time given without a zone is taken as China time, as the hotline's clocks show it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)
