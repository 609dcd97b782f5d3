"""The FastAPI dependencies of referral, defined once: who may call, the runtime, and the use cases.

They are `async` so that FastAPI does not hand each to a worker thread and back."""

from typing import Annotated

from fastapi import Depends, Request

from services.referral.application.acting import Act
from services.referral.application.dashboard import DashboardQuery
from services.referral.application.directory import StationDirectory
from services.referral.application.divisions import DivisionQueries
from services.referral.application.queries import ReferralQueries
from services.referral.application.village_directors import VillageDirectory
from services.referral.application.village_tasks import VillageTasks
from shared.auth.dependencies import require
from shared.domain.access import Principal, Role
from shared.runtime import ServiceRuntime, runtime_of

Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Caller = Annotated[Principal, Depends(require())]  # any role, its scope checked
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Supervisor = Annotated[Principal, Depends(require(Role.OPERATOR, Role.ADMIN))]  # the hotline's supervisors
Watcher = Annotated[Principal, Depends(require(Role.COMMITTEE, Role.COUNTY_CENTRE, Role.ADMIN))]
AdminOrStation = Annotated[Principal, Depends(require(Role.ADMIN, Role.STATION))]
Director = Annotated[Principal, Depends(require(Role.VILLAGE))]  # a village's child director


async def act_of(request: Request) -> Act:
    return request.app.state.act


async def referral_queries_of(request: Request) -> ReferralQueries:
    return request.app.state.referral_queries


async def station_directory_of(request: Request) -> StationDirectory:
    return request.app.state.station_directory


async def division_queries_of(request: Request) -> DivisionQueries:
    return request.app.state.division_queries


async def dashboard_of(request: Request) -> DashboardQuery:
    return request.app.state.dashboard


async def village_directory_of(request: Request) -> VillageDirectory:
    return request.app.state.village_directory


async def village_tasks_of(request: Request) -> VillageTasks:
    return request.app.state.village_tasks


ActDep = Annotated[Act, Depends(act_of)]
ReferralQueriesDep = Annotated[ReferralQueries, Depends(referral_queries_of)]
StationDirectoryDep = Annotated[StationDirectory, Depends(station_directory_of)]
DivisionQueriesDep = Annotated[DivisionQueries, Depends(division_queries_of)]
DashboardDep = Annotated[DashboardQuery, Depends(dashboard_of)]
VillageDirectoryDep = Annotated[VillageDirectory, Depends(village_directory_of)]
VillageTasksDep = Annotated[VillageTasks, Depends(village_tasks_of)]
