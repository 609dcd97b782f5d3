"""Hostile input to notification's endpoints, in-process on real PostgreSQL and Kafka: a bad parameter, path
segment or policy is a 422 naming it and adds no policy version; a caller whose role or scope may not is answered
403 or 404, never with data."""

import copy
import json

import asyncpg
import pytest

from services.notification.app import create_app
from services.notification.settings import NotificationSettings
from shared.domain.access import Role
from tests.auth import bearer, service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.integration.conftest import serving

ADMIN = bearer(Role.ADMIN, subject="admin-1")
COMMITTEE = bearer(Role.COMMITTEE, "1407", "committee-jinzhong")
OTHER_COMMITTEE = bearer(Role.COMMITTEE, "1401", "committee-taiyuan")
CENTRE = bearer(Role.COUNTY_CENTRE, "140724", "xiyang-centre")
OTHER_CENTRE = bearer(Role.COUNTY_CENTRE, "140725", "shouyang-centre")
STATION = bearer(Role.STATION, "140724104", "dazhai")
OPERATOR = bearer(Role.OPERATOR, "1407", "operator-1")
DIRECTOR = bearer(Role.VILLAGE, "140724104200", "director-dazhai")
EMPTY = [bearer(role, "", f"empty-{role.value}") for role in (Role.COMMITTEE, Role.COUNTY_CENTRE, Role.OPERATOR)]
UNKNOWN = "00000000-0000-4000-8000-000000000000"
DEEP = '{"limits": ' + "[" * 100_000 + "]" * 100_000 + "}"
BAD_NUMBERS = ["0", "-1", str(10**40), "1e308", "abc", "", "1.5", "nan"]


@pytest.fixture(scope="module")
async def database(new_database) -> str:
    return await new_database("notification")


@pytest.fixture(scope="module")
async def notification(infrastructure, database):
    settings = service_settings(NotificationSettings, database, infrastructure.kafka_bootstrap_servers)
    async with serving(knowing_the_demo_directory(create_app(settings)), headers=ADMIN) as client:
        client.policy = (await client.get("/v1/policy")).json()["limits"]
        yield client


def fields_of(answer) -> list[str]:
    assert answer.status_code == 422, answer.text
    return [error["field"] for error in answer.json()["errors"]]


@pytest.mark.parametrize(
    "url, params, field",
    [
        *[("/v1/on-time", {"area": area}, "area") for area in ("", "1", "1" * 10, "1407\n", "14 07", "一四零七")],
        ("/v1/on-time", {"area": "1407\x00"}, "area"),
        *[("/v1/on-time", {"area": "1407", "stage": stage}, "stage") for stage in ("", "unknown", "HELPER", "\x01")],
        *[("/v1/on-time", {"area": "1407", "days": days}, "days") for days in [*BAD_NUMBERS, "184"]],
        *[("/v1/dead-letters", {"limit": limit}, "limit") for limit in [*BAD_NUMBERS, "501"]],
        ("/v1/on-time", {}, "area"),
        *[(url, {"area": unknown}, "area")  # no such area in the directory: not empty figures
          for url in ("/v1/on-time", "/v1/overdue", "/v1/stage-performance") for unknown in ("99", "999999", "140799")],
    ],
)  # fmt: skip
async def test_a_bad_parameter_is_a_422_naming_it(notification, url, params, field):
    assert fields_of(await notification.get(url, params=params, headers=COMMITTEE | ADMIN)) == [field]


async def test_on_time_and_dead_letters_answer_the_good_ones(notification):
    assert (await notification.get("/v1/on-time", params={"area": "1407", "stage": "helper"})).status_code == 200
    assert (await notification.get("/v1/dead-letters", params={"limit": 500})).status_code == 200


@pytest.mark.parametrize(
    "url, params, callers",
    [
        ("/v1/on-time", {"area": "1407"}, [OTHER_COMMITTEE, CENTRE, STATION, DIRECTOR, OPERATOR, *EMPTY]),
        ("/v1/on-time", {"area": "140724", "stage": "follow_up_visit"}, [OTHER_CENTRE, OTHER_COMMITTEE, *EMPTY]),
        ("/v1/dead-letters", {}, [STATION, CENTRE, COMMITTEE, DIRECTOR, *EMPTY]),
    ],
)
async def test_a_foreign_or_empty_scope_reads_nothing(notification, url, params, callers):
    for caller in callers:
        answer = await notification.get(url, params=params, headers=caller)
        assert answer.status_code in (403, 404), (caller, answer.status_code, answer.text[:200])


@pytest.mark.parametrize(
    "segment, status, field",
    [("not-a-uuid", 422, "notification_id"), ("%00", 422, "path"), ("1" * 5000, 422, "notification_id"),
     (f"{UNKNOWN}%20", 422, "notification_id"), (UNKNOWN, 404, None)],
)  # fmt: skip
async def test_resending_a_notification_that_is_not_one(notification, segment, status, field):
    answer = await notification.post(f"/v1/notifications/{segment}/resend")
    assert answer.status_code == status, answer.text
    assert status != 422 or fields_of(answer) == [field]


async def test_only_an_administrator_resends(notification):
    for caller in (OPERATOR, STATION, CENTRE, COMMITTEE, DIRECTOR, *EMPTY):
        assert (await notification.post(f"/v1/notifications/{UNKNOWN}/resend", headers=caller)).status_code == 403


def changed(policy: dict, stage: str, tier: str, value: object) -> dict:
    limits = copy.deepcopy(policy)
    limits[stage][tier] = value
    return {"limits": limits}


def without(policy: dict, stage: str, tier: str | None = None) -> dict:
    limits = copy.deepcopy(policy)
    if tier:
        del limits[stage][tier]
    else:
        del limits[stage]
    return {"limits": limits}


BAD_LIMITS = [
    ({"hours": 0}, "hours"), ({"hours": -1}, "hours"), ({"hours": 1e308}, "hours"), ({"hours": 10**40}, "hours"),
    ({"hours": 721}, "hours"), ({"hours": "4"}, "hours"), ({"hours": True}, "hours"), ({"hours": [4]}, "hours"),
    ({"working_days": 1.5}, "working_days"), ({"working_days": "3"}, "working_days"), ({"days": 0}, "days"),
    ({"days": 367}, "days"), ({"days": False}, "days"), ({"months": 13}, "months"), ({"months": -1}, "months"),
    ({"months": 10**40}, "months"), ({"minutes": 5}, "minutes"),
]  # fmt: skip
CONTRADICTIONS = [{"hours": 1, "days": 1}, {}, {"hours": None}, {"days": 14, "months": 1}]


@pytest.mark.parametrize("stage, tier", [("acknowledge", "P1"), ("follow_up_visit", "poor"), ("helper", "fair")])
@pytest.mark.parametrize("limit, measure", BAD_LIMITS, ids=repr)
async def test_a_bad_measure_is_a_422_naming_it_and_adds_no_version(notification, database, stage, tier, limit,
                                                                    measure):  # fmt: skip
    field = f"limits.{stage}.{tier}.{measure}"
    assert await refused(notification, database, changed(notification.policy, stage, tier, limit)) == [field]


async def test_a_limit_in_no_measure_or_in_two_is_a_422_naming_it(notification, database):
    for stage, tier in (("acknowledge", "P3"), ("follow_up_visit", "fair")):
        for limit in CONTRADICTIONS + [[], "4h", 4, None]:
            body = changed(notification.policy, stage, tier, limit)
            assert await refused(notification, database, body) == [f"limits.{stage}.{tier}"], limit


async def test_tiers_that_are_not_the_stages_are_a_422_naming_stage_or_tier(notification, database):
    policy = notification.policy
    for body, field in [
        (changed(policy, "helper", "P1", {"days": 5}), "limits.helper.P1.[key]"),
        (changed(policy, "acknowledge", "fair", {"hours": 1}), "limits.acknowledge.fair.[key]"),
        (changed(policy, "guardianship_decision", "fair", {"hours": 1}), "limits.guardianship_decision"),
        (changed(policy, "acknowledge", "P4", {"hours": 1}), "limits.acknowledge.P4.[key]"),
        (changed(policy, "acknowledge", "good", {"hours": 1}), "limits.acknowledge.good.[key]"),
        (without(policy, "helper", "poor"), "limits.helper"),
        (without(policy, "follow_up_visit"), "limits.follow_up_visit"),
        ({"limits": policy | {"nap": {"P1": {"hours": 1}}}}, "limits.nap"),
    ]:
        assert await refused(notification, database, body) == [field], body


@pytest.mark.parametrize(
    "body, field",
    [({"limits": []}, "limits"), ({"limits": None}, "limits"), ([], "body"), (None, "body"), ({}, "limits"),
     ("{", "body"), (DEEP, "body"), ({"limits": {}, "version": 3}, "version")],
    ids=lambda v: v[:20] if isinstance(v, str) else None,
)  # fmt: skip
async def test_a_policy_that_is_not_one_is_a_422(notification, database, body, field):
    assert (await refused(notification, database, body))[-1:] == [field]


async def test_no_one_but_an_administrator_changes_the_policy(notification, database):
    before = await versions(database)
    for caller in (OPERATOR, STATION, CENTRE, COMMITTEE, DIRECTOR, *EMPTY):
        answer = await notification.put("/v1/policy", json={"limits": notification.policy}, headers=caller)
        assert answer.status_code == 403, caller
    assert await versions(database) == before


async def versions(database: str) -> int:
    connection = await asyncpg.connect(database)
    try:
        return await connection.fetchval("SELECT count(*) FROM deadline_policies")
    finally:
        await connection.close()


async def refused(client, database: str, body: object) -> list[str]:
    content = body if isinstance(body, str) else json.dumps(body)
    before = await versions(database)
    answer = await client.put("/v1/policy", content=content, headers={"Content-Type": "application/json"})
    assert await versions(database) == before
    return fields_of(answer)
