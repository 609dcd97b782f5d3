"""The coordinating committee's figures for an area and a period, and a county's stations' load, for those who
may watch the area."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.referral.adapters.database import ReferralDatabase
from services.referral.domain.area_figures import AreaSummary, summarise
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
    summary: AreaSummary


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
        return AreaFigures(area, days, since, places, trend, summarise(places))

    async def load(self, county: str, caller: Principal) -> list[dict]:
        """The centre and each active station of a county, with the referrals each holds open now."""
        if not may_watch_area(caller, county):
            raise NotFound("没有这个区域")
        async with self.database.connect() as connection:
            return await connection.dashboard.load(county)
