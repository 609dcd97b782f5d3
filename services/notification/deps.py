"""The FastAPI dependencies of the notification service's routes, defined once."""

from typing import Annotated

from fastapi import Depends, Request

from services.notification.application.calendar_years import CalendarKeeper
from services.notification.application.deadline_policy import PolicyKeeper
from services.notification.domain.delivery_channels import DeliveryChannel
from shared.auth.dependencies import require
from shared.domain.access import Principal, Role
from shared.runtime import ServiceRuntime, runtime_of

Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Caller = Annotated[Principal, Depends(require())]  # any role, its scope checked
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Watcher = Annotated[Principal, Depends(require(Role.COMMITTEE, Role.COUNTY_CENTRE, Role.ADMIN))]
Supervisor = Annotated[Principal, Depends(require(Role.OPERATOR, Role.ADMIN))]  # the hotline's supervisors


async def calendar_keeper(request: Request) -> CalendarKeeper:
    return request.app.state.calendar


async def policy_keeper(request: Request) -> PolicyKeeper:
    return request.app.state.policy


async def enabled_channels(request: Request) -> frozenset[DeliveryChannel]:
    return request.app.state.channels


Calendar = Annotated[CalendarKeeper, Depends(calendar_keeper)]
Channels = Annotated[frozenset[DeliveryChannel], Depends(enabled_channels)]
DeadlinePolicy = Annotated[PolicyKeeper, Depends(policy_keeper)]
