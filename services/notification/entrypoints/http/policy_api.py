"""Reading and changing the deadline policy. A change makes a new version; deadlines already running
keep the version they were made under."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from services.notification.application.deadline_policy import change_policy, policy_of_version
from services.notification.deps import Admin, Caller, DeadlinePolicy, Runtime
from services.notification.domain.deadlines import LEVEL_STAGES, Limit, Policy, Tier, tiers_of
from services.notification.domain.policy import PolicyDocument, to_document
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1/policy", tags=["deadline policy"], responses=error_answers(401, 403, 404, 422, 503))


class LimitIn(BaseModel):
    # A measure is a JSON number: no "4" for 4, no true for 1.
    model_config = ConfigDict(extra="forbid", strict=True)

    hours: float | None = Field(default=None, gt=0, le=720)
    working_days: int | None = Field(default=None, ge=1, le=60)
    days: int | None = Field(default=None, ge=1, le=366)
    months: int | None = Field(default=None, ge=1, le=12)

    @model_validator(mode="after")
    def _one_measure(self) -> "LimitIn":
        if sum(measure is not None for measure in (self.hours, self.working_days, self.days, self.months)) != 1:
            raise PydanticCustomError("one_measure", "请填写小时数、工作日数、天数或月数之一")
        return self

    def limit(self) -> Limit:
        return Limit(self.hours or 0, self.working_days or 0, self.days or 0, self.months or 0)


def _tiers_of(stage: Stage) -> Callable[[dict[Tier, "LimitIn"]], dict[Tier, "LimitIn"]]:
    def complete(limits: dict[Tier, LimitIn]) -> dict[Tier, LimitIn]:
        if set(limits) != set(tiers_of(stage)):
            raise PydanticCustomError("incomplete", "须按 P1、P2、P3 设定时限；监护监测环节按评估等级设定")
        return limits

    return complete


def _tier_type(stage: Stage) -> type[Tier]:
    return Assessment if stage in LEVEL_STAGES else Priority


# One field per stage, each with the limits of its tiers: a missing stage, an unknown one, a stage missing a tier
# or keyed by another stage's tiers is named by its path (limits.helper, limits.helper.P1.[key]).
StageLimits = create_model(
    "StageLimits",
    __config__=ConfigDict(extra="forbid"),
    **{
        stage.value: (Annotated[dict[_tier_type(stage), LimitIn], AfterValidator(_tiers_of(stage))], ...)
        for stage in Stage
    },
)


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A stage timed by the assessment level is keyed by level (fair, poor, dangerous), the others by priority.
    limits: StageLimits  # type: ignore[valid-type]

    def policy(self) -> Policy:
        return {
            stage: {tier: limit.limit() for tier, limit in getattr(self.limits, stage.value).items()} for stage in Stage
        }


class PolicyView(BaseModel):
    version: int
    limits: PolicyDocument


@router.get("", response_model=PolicyView)
async def current(keeper: DeadlinePolicy, _caller: Caller) -> PolicyView:
    return PolicyView(version=keeper.current.version, limits=to_document(keeper.current.limits))


@router.get("/{version}", response_model=PolicyView)
async def one_version(
    version: Annotated[int, Path(ge=1, le=2**31 - 1)], runtime: Runtime, _caller: Caller
) -> PolicyView:
    return PolicyView(version=version, limits=to_document(await policy_of_version(runtime.pool, version)))


@router.put("", response_model=PolicyView, status_code=201)
async def change(body: PolicyIn, runtime: Runtime, keeper: DeadlinePolicy, caller: Admin) -> PolicyView:
    policy = body.policy()
    version = await change_policy(runtime.pool, keeper, policy, caller.subject)
    return PolicyView(version=version, limits=to_document(policy))
