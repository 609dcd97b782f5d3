"""Reading and changing the deadline policy. A change makes a new version; deadlines already running
keep the version they were made under."""

import json
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from services.notification.deadlines import Limit, Stage
from services.notification.policies import PolicyKeeper, add_version, from_json, to_json
from shared.auth.dependencies import authenticate, require
from shared.domain.access import Principal, Role
from shared.domain.codes import Priority
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1/policy", tags=["deadline policy"], responses=error_answers(401, 403, 404, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


class LimitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: float | None = Field(default=None, gt=0, le=720)
    working_days: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="after")
    def _one_measure(self) -> "LimitIn":
        if (self.hours is None) == (self.working_days is None):
            raise PydanticCustomError("one_measure", "请填写小时数或工作日数之一")
        return self


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limits: dict[Stage, dict[Priority, LimitIn]]

    @model_validator(mode="after")
    def _complete(self) -> "PolicyIn":
        for stage in Stage:
            if set(self.limits.get(stage, {})) != set(Priority):
                raise PydanticCustomError("incomplete", "每个环节都须为 P1、P2、P3 设定时限")
        return self


class PolicyView(BaseModel):
    version: int
    limits: dict[str, dict[str, dict[str, float]]]


async def keeper_of(request: Request) -> PolicyKeeper:
    return request.app.state.policy


@router.get("", response_model=PolicyView)
async def current(
    keeper: Annotated[PolicyKeeper, Depends(keeper_of)], _caller: Annotated[Principal, Depends(authenticate)]
) -> PolicyView:
    return PolicyView(version=keeper.current.version, limits=to_json(keeper.current.limits))


@router.get("/{version}", response_model=PolicyView)
async def one_version(
    version: Annotated[int, Path(ge=1, le=2**31 - 1)],
    runtime: Runtime,
    _caller: Annotated[Principal, Depends(authenticate)],
) -> PolicyView:
    limits = await runtime.pool.fetchval("SELECT limits FROM deadline_policies WHERE version = $1", version)
    if limits is None:
        raise HTTPException(status_code=404, detail="没有这个版本")
    return PolicyView(version=version, limits=to_json(from_json(json.loads(limits))))


@router.put("", response_model=PolicyView, status_code=201)
async def change(
    body: PolicyIn,
    runtime: Runtime,
    keeper: Annotated[PolicyKeeper, Depends(keeper_of)],
    caller: Annotated[Principal, Depends(require(Role.ADMIN))],
) -> PolicyView:
    policy = {
        stage: {
            priority: Limit(hours=limit.hours or 0, working_days=limit.working_days or 0)
            for priority, limit in limits.items()
        }
        for stage, limits in body.limits.items()
    }
    async with runtime.pool.acquire() as connection, connection.transaction():
        version = await add_version(connection, policy, caller.subject)
    await keeper.refresh(runtime.pool)
    return PolicyView(version=version, limits=to_json(policy))
