"""The coordinating committee's figures for an area and a period, for those who may watch the area."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.referral.adapters.database import ReferralDatabase
from shared.domain.access import Principal, may_watch_area
from shared.domain.problems import NotFound
from shared.events import utcnow


@dataclass(frozen=True)
class AreaFigures:
    area: str
    days: int
    since: datetime
    places: list[dict]
    trend: list[dict]


class DashboardQuery:
    def __init__(self, database: ReferralDatabase) -> None:
        self.database = database

    async def __call__(self, area: str, days: int, caller: Principal) -> AreaFigures:
        if not may_watch_area(caller, area):
            raise NotFound("没有这个区域")
        since = utcnow() - timedelta(days=days)
        async with self.database.connect() as connection:
            places = await connection.dashboard.by_place(area, since)
            trend = await connection.dashboard.trend(area, since)
        return AreaFigures(area, days, since, places, trend)
