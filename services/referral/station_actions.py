"""Carrying out an action on a referral: checked, applied, written to its history and announced, in
one transaction with the referral row locked, so that two clicks cannot both close it."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from uuid import UUID

import asyncpg

from services.referral import repository
from services.referral.action_requests import (
    Acknowledge,
    ChangePriority,
    Close,
    Contact,
    Decline,
    GuardianshipAssessment,
    HomeVisit,
    PoliceNotified,
    Reassign,
)
from services.referral.announcements import announce_placement, record_action
from services.referral.gazetteer import Gazetteer
from services.referral.lifecycle import Refused, Step, check
from services.referral.resolver import resolve
from services.referral.routing import Routing, route
from shared.audit import audit
from shared.domain.access import Principal
from shared.domain.problems import FieldProblem, FieldProblems
from shared.events import ReferralAction, utcnow

DECLINES_BEFORE_THE_CENTRE_DECIDES = 2


@dataclass
class Change:
    """What an action does to the referral row, what it records, and whether the referral moved."""

    columns: dict[str, object]
    action: ReferralAction
    detail: dict[str, str | int | None] = field(default_factory=dict)
    notes: str | None = None
    moved: str | None = None  # declined, reassigned or dispatched


class StationActions:
    def __init__(self, pool: asyncpg.Pool, gazetteer: Callable[[], Gazetteer]) -> None:
        self.pool = pool
        self.gazetteer = gazetteer

    async def acknowledge(self, referral_id: UUID, caller: Principal, body: Acknowledge) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, _referral: asyncpg.Record) -> Change:
            columns = {"status": "acknowledged", "acknowledged_at": utcnow()}
            return Change(columns, ReferralAction.ACKNOWLEDGED, notes=body.notes)

        return await self._act(referral_id, caller, Step.ACKNOWLEDGE, change)

    async def record_contact(self, referral_id: UUID, caller: Principal, body: Contact) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            at = body.at or utcnow()
            columns = {"first_contact_at": referral["first_contact_at"] or at}
            detail = {"method": body.method.value, "at": at.isoformat()}
            return Change(columns, ReferralAction.CONTACT_RECORDED, detail, body.notes)

        return await self._act(referral_id, caller, Step.CONTACT, change)

    async def record_home_visit(self, referral_id: UUID, caller: Principal, body: HomeVisit) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            at = body.at or utcnow()
            # A home visit is also a contact with the child and family.
            columns = {
                "home_visit_at": referral["home_visit_at"] or at,
                "first_contact_at": referral["first_contact_at"] or at,
            }
            return Change(columns, ReferralAction.HOME_VISIT_RECORDED, {"at": at.isoformat()}, body.notes)

        return await self._act(referral_id, caller, Step.HOME_VISIT, change)

    async def record_assessment(
        self, referral_id: UUID, caller: Principal, body: GuardianshipAssessment
    ) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            at = body.at or utcnow()
            columns = {"assessment": body.level.value, "assessed_at": referral["assessed_at"] or at}
            detail = {"level": body.level.value, "at": at.isoformat()}
            return Change(columns, ReferralAction.ASSESSMENT_RECORDED, detail, body.notes)

        return await self._act(referral_id, caller, Step.ASSESSMENT, change)

    async def record_police_notified(
        self, referral_id: UUID, caller: Principal, body: PoliceNotified
    ) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            if referral["police_notified_at"] is not None:
                raise _conflict("已记录报警，不能重复记录")
            at = body.at or utcnow()
            return Change(
                {"police_notified_at": at}, ReferralAction.POLICE_NOTIFIED, {"at": at.isoformat()}, body.notes
            )

        return await self._act(referral_id, caller, Step.POLICE_NOTIFIED, change)

    async def decline(self, referral_id: UUID, caller: Principal, body: Decline) -> asyncpg.Record:
        async def change(connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            suggested = body.suggested_division_code[:9]
            if self._township(suggested) is None:
                raise _invalid("suggested_division_code", "unknown_township", "没有这个乡镇（街道）代码")
            if suggested == referral["assignee_code"]:
                raise _invalid("suggested_division_code", "same_township", "不能建议本工作站所在的乡镇（街道）")
            declines = referral["decline_count"] + 1
            if declines >= DECLINES_BEFORE_THE_CENTRE_DECIDES:
                target = await self._centre_of(connection, referral["assignee_code"])
            else:
                target = await self._routing(connection, suggested)
            detail = {"suggested_division_code": suggested, "declines": declines, "moved_to": _code(target)}
            columns = _placed(target) | {"decline_count": declines}
            return Change(columns, ReferralAction.DECLINED, detail, body.reason, moved="declined")

        return await self._act(referral_id, caller, Step.DECLINE, change)

    async def reassign(self, referral_id: UUID, caller: Principal, body: Reassign) -> asyncpg.Record:
        async def change(connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            where = resolve(self.gazetteer(), None, body.division_code)
            if where.place is None:
                raise _invalid("division_code", "unknown_division", "没有这个乡镇（街道）或县区代码")
            target = await self._routing(connection, where.place.code)
            if target.assignee is None:
                raise _invalid("division_code", "no_station", "该区划没有工作站或救助保护中心")
            moved = "dispatched" if referral["status"] == "unrouted" else "reassigned"
            detail = {"division_code": where.place.code, "moved_to": target.assignee.code}
            return Change(_placed(target), ReferralAction.REASSIGNED, detail, body.reason, moved=moved)

        return await self._act(referral_id, caller, Step.REASSIGN, change)

    async def change_priority(self, referral_id: UUID, caller: Principal, body: ChangePriority) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, referral: asyncpg.Record) -> Change:
            if referral["priority"] == body.priority.value:
                raise _conflict("优先级没有变化")
            detail = {"from": referral["priority"], "to": body.priority.value}
            return Change({"priority": body.priority.value}, ReferralAction.PRIORITY_CHANGED, detail, body.reason)

        return await self._act(referral_id, caller, Step.CHANGE_PRIORITY, change)

    async def close(self, referral_id: UUID, caller: Principal, body: Close) -> asyncpg.Record:
        async def change(_connection: asyncpg.Connection, _referral: asyncpg.Record) -> Change:
            columns = {"status": "closed", "closed_at": utcnow(), "outcome": body.outcome.value}
            return Change(columns, ReferralAction.CLOSED, {"outcome": body.outcome.value}, body.notes)

        return await self._act(referral_id, caller, Step.CLOSE, change)

    async def _act(
        self,
        referral_id: UUID,
        caller: Principal,
        step: Step,
        change: Callable[[asyncpg.Connection, asyncpg.Record], Awaitable[Change]],
    ) -> asyncpg.Record:
        async with self.pool.acquire() as connection, connection.transaction():
            referral = await repository.referral_by_id(connection, referral_id, for_update=True)
            if referral is None:
                raise _not_found()
            check(caller, step, dict(referral), await repository.copy_holders(connection, referral_id))
            done = await change(connection, referral)
            updated = await repository.update_referral(connection, referral_id, **done.columns)
            actor = f"{caller.role.value}:{caller.scope or caller.subject}"
            await record_action(connection, updated, done.action, actor, done.detail, done.notes)
            await audit(connection, caller, done.action.value, [referral_id])
            if done.moved:
                await announce_placement(connection, updated, reason=done.moved)
            return updated

    def _township(self, code: str) -> str | None:
        division = self.gazetteer().by_code.get(code)
        return code if division is not None and division.level == "township" else None

    async def _routing(self, connection: asyncpg.Connection, code: str) -> Routing:
        where = resolve(self.gazetteer(), None, code)
        return route(where, await repository.stations_covering(connection, code))

    async def _centre_of(self, connection: asyncpg.Connection, assignee_code: str) -> Routing:
        county = assignee_code[:6]
        return await self._routing(connection, county)


def _placed(target: Routing) -> dict[str, object]:
    """The columns of a referral that has moved: a new holder who has not yet acknowledged it."""
    return {
        "status": "assigned" if target.assignee else "unrouted",
        "assignee_code": target.assignee.code if target.assignee else None,
        "routing_reason": target.reason,
        "division_code": target.division_code,
        "acknowledged_at": None,
    }


def _code(target: Routing) -> str | None:
    return target.assignee.code if target.assignee else None


def _invalid(field_name: str, code: str, message: str) -> FieldProblems:
    return FieldProblems([FieldProblem(field=field_name, code=code, message=message)])


def _conflict(message: str) -> Refused:
    return Refused(409, message)


def _not_found() -> Refused:
    return Refused(404, "没有这个转介")
