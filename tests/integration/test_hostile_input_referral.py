"""Hostile input to referral's endpoints, in-process on real PostgreSQL and Kafka: every bad field, parameter,
header and path segment is a 422 naming it and stores nothing (no history, outbox, task, key or director row);
a caller whose role or scope may not is answered 403 or 404, never with data."""

import json
import time

import asyncpg
import pytest

from services.referral.app import create_app
from services.referral.application.village_directors import import_directors
from services.referral.settings import ReferralSettings
from shared.domain.access import Role
from tests.auth import bearer, service_settings
from tests.integration.conftest import serving
from tests.integration.test_station_phone_api import CENTRE, COMMITTEE, DAZHAI_STATION, GAOLUO_STATION, JINSHIPO
from tests.integration.test_village_directors_and_tasks import DEMO_DIRECTORS, acknowledged

ADMIN = bearer(Role.ADMIN, subject="admin-1")
OTHER_CENTRE = bearer(Role.COUNTY_CENTRE, "140725", "shouyang-centre")
OTHER_COMMITTEE = bearer(Role.COMMITTEE, "1401", "committee-taiyuan")
DIRECTOR = bearer(Role.VILLAGE, "140724104200", "director-dazhai")
OTHER_DIRECTOR = bearer(Role.VILLAGE, JINSHIPO, "director-jinshipo")  # the child lives in 大寨村
NO_DIRECTOR = bearer(Role.VILLAGE, "140724104205", "director-houzhuang")  # a village with no director
EMPTY = {role: bearer(role, "", f"empty-{role.value}") for role in (Role.STATION, Role.COUNTY_CENTRE, Role.COMMITTEE)}
EMPTY[Role.VILLAGE] = bearer(Role.VILLAGE, "", "empty-village")
UNKNOWN = "00000000-0000-4000-8000-000000000000"
HELPER = {"name": "王芳"}
DEEP = '{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}"
TABLES = ("referral_history", "outbox", "referral_tasks", "idempotency_keys", "village_directors")

# Each action that takes a time, with a body good but for it; and who may take it.
TIMED = [
    ("contacts", {"method": "phone"}, DAZHAI_STATION),
    ("visits", {}, DAZHAI_STATION),
    ("assessments", {"level": "fair"}, DAZHAI_STATION),
    ("police-notifications", {"police_station": "大寨派出所"}, DAZHAI_STATION),
    ("police-feedback", {"feedback": "investigating"}, DAZHAI_STATION),
    ("helpers", {"name": "王芳"}, DAZHAI_STATION),
    ("follow-up-visits", {}, DAZHAI_STATION),
    ("monitoring-end", {"reason": "moved_away", "division_code": "140724100"}, DAZHAI_STATION),
    ("guardianship", {"placement": "福利院", "reason": "无人监护"}, CENTRE),
    ("guardianship/end", {"reason": "返家"}, CENTRE),
]
BAD_TIMES = [
    "0001-01-01", "0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31", "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-14:00", "2026-13-40", "", "  ", 10**40, 1e308, -1, 0, 1_700_000_000, "1700000000",
    "1.7e9", True, ["2026-01-01"], {"at": "2026-01-01"},
]  # fmt: skip
# step, body (a JSON value, or raw text), who sends it, the field named
BAD_BODIES = [
    ("helpers", {"name": "   "}, DAZHAI_STATION, "name"),
    ("helpers", {"name": ""}, DAZHAI_STATION, "name"),
    ("helpers", {"name": None}, DAZHAI_STATION, "name"),
    ("helpers", {"name": {"a": 1}}, DAZHAI_STATION, "name"),
    ("helpers", {"name": "王芳", "phone": 10**40}, DAZHAI_STATION, "phone"),
    ("helpers", {"name": "王芳", "phone": "1" * 10_000}, DAZHAI_STATION, "phone"),
    ("helpers", {"name": "王芳", "phone": "\u202e13812345678"}, DAZHAI_STATION, "phone"),
    ("helpers", {"name": "王芳", "helper": "x"}, DAZHAI_STATION, "helper"),
    ("helpers", ["王芳"], DAZHAI_STATION, "body"),
    ("helpers", None, DAZHAI_STATION, "body"),
    ("helpers", "{", DAZHAI_STATION, "body"),
    ("follow-up-visits", {"notes": "记" * 2001}, DAZHAI_STATION, "notes"),
    ("follow-up-visits", {"notes": 5}, DAZHAI_STATION, "notes"),
    ("follow-up-visits", {"notes": "a\x1b[2J"}, DAZHAI_STATION, "notes"),
    ("follow-up-visits", DEEP, DAZHAI_STATION, "body"),
    ("monitoring-end", {"reason": "unknown"}, DAZHAI_STATION, "reason"),
    ("monitoring-end", {"reason": None}, DAZHAI_STATION, "reason"),
    ("monitoring-end", {"reason": "moved_away", "division_code": 140724100}, DAZHAI_STATION, "division_code"),
    ("monitoring-end", {"reason": "moved_away", "division_code": "1" * 400}, DAZHAI_STATION, "division_code"),
    ("monitoring-end", {"reason": "moved_away", "division_code": "140724100\n"}, DAZHAI_STATION, "division_code"),
    ("guardianship", {"placement": "   ", "reason": "无人监护"}, CENTRE, "placement"),
    ("guardianship", {"placement": ["福利院"], "reason": "无人监护"}, CENTRE, "placement"),
    ("guardianship", {"placement": "福利院", "reason": "\x00"}, CENTRE, "reason"),
    ("guardianship/not-needed", {"reason": " \t "}, CENTRE, "reason"),
    ("guardianship/not-needed", {"reason": 1e308}, CENTRE, "reason"),
    ("guardianship/end", {"reason": None}, CENTRE, "reason"),
    ("tasks", {"kind": "chat"}, DAZHAI_STATION, "kind"),
    ("tasks", {"kind": None}, DAZHAI_STATION, "kind"),
    ("tasks", {"kind": "contact", "village_code": 140724104200}, DAZHAI_STATION, "village_code"),
    ("tasks", {"kind": "contact", "notes": "\x07"}, DAZHAI_STATION, "notes"),
    ("contacts", {"method": "telepathy"}, DAZHAI_STATION, "method"),
    ("assessments", {"level": "excellent"}, DAZHAI_STATION, "level"),
    ("police-notifications", {"police_station": "  "}, DAZHAI_STATION, "police_station"),
    ("police-notifications", {"police_station": "所所", "police_case_number": "A 1"}, DAZHAI_STATION,
     "police_case_number"),
    ("police-feedback", {"feedback": 5}, DAZHAI_STATION, "feedback"),
    ("decline", {"reason": "不是本镇", "suggested_division_code": "abc"}, DAZHAI_STATION, "suggested_division_code"),
    ("reassign", {"division_code": "9" * 12, "reason": "改派"}, CENTRE, "division_code"),
    ("priority", {"priority": "P0", "reason": "升级"}, CENTRE, "priority"),
    ("decline", {"reason": "  ", "suggested_division_code": "140724100"}, DAZHAI_STATION, "reason"),
    ("reassign", {"division_code": "140724100", "reason": " \t "}, CENTRE, "reason"),
    ("priority", {"priority": "P1", "reason": "\u3000 "}, CENTRE, "reason"),
    ("close", {"outcome": None}, DAZHAI_STATION, "outcome"),
]  # fmt: skip
BAD_KEYS = ["\x00", "", " ", "a" * 65, "键".encode(), "a b", "a\tb"]


@pytest.fixture(scope="module")
async def database(referral_database) -> str:
    url = await referral_database()
    await import_directors(url, DEMO_DIRECTORS)
    return url


@pytest.fixture(scope="module")
async def referral(infrastructure, database):
    settings = service_settings(ReferralSettings, database, infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings), headers=ADMIN) as client:
        client.case = f"/v1/referrals/{await acknowledged(client, infrastructure, '钱小多')}"
        assessed = await client.post(f"{client.case}/assessments", json={"level": "fair"}, headers=DAZHAI_STATION)
        assert assessed.json()["status"] == "monitoring", assessed.text  # a child under monitoring
        yield client


async def counts(database: str) -> dict[str, int]:
    connection = await asyncpg.connect(database)
    try:
        return {table: await connection.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}  # noqa: S608
    finally:
        await connection.close()


async def refused_and_nothing_stored(client, database, method, url, headers, body=None) -> dict[str, str]:
    content = body if isinstance(body, str | bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} | headers
    before = await counts(database)
    answer = await client.request(method, url, content=content, headers=headers)
    assert answer.status_code == 422, answer.text
    assert await counts(database) == before
    return {error["field"]: error["code"] for error in answer.json()["errors"]}


@pytest.mark.parametrize("value", BAD_TIMES, ids=repr)
@pytest.mark.parametrize("step, body, headers", TIMED, ids=[row[0] for row in TIMED])
async def test_every_bad_time_is_a_422_naming_at(referral, database, step, body, headers, value):
    url, bad = f"{referral.case}/{step}", body | {"at": value}
    assert list(await refused_and_nothing_stored(referral, database, "POST", url, headers, bad)) == ["at"]


@pytest.mark.parametrize("step, body, headers, field", BAD_BODIES, ids=[f"{row[0]}-{row[3]}" for row in BAD_BODIES])
async def test_every_bad_field_is_a_422_naming_it(referral, database, step, body, headers, field):
    url = f"{referral.case}/{step}"
    assert list(await refused_and_nothing_stored(referral, database, "POST", url, headers, body)) == [field]


async def test_a_time_before_the_report_came_in_is_a_422_naming_at(referral, database):
    for step, body, headers in TIMED:
        if step in ("helpers", "follow-up-visits", "monitoring-end", "assessments", "police-notifications"):
            url, early = f"{referral.case}/{step}", body | {"at": "2001-01-01T00:00:00+08:00"}
            assert list(await refused_and_nothing_stored(referral, database, "POST", url, headers, early)) == ["at"]


async def test_a_time_given_as_seconds_since_1970_is_refused_as_no_time(referral, database):
    for seconds in (int(time.time()), str(int(time.time())), time.time()):
        url = f"{referral.case}/follow-up-visits"
        refused = await refused_and_nothing_stored(referral, database, "POST", url, DAZHAI_STATION, {"at": seconds})
        assert refused == {"at": "date_type"}


@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
async def test_a_bad_idempotency_key_is_a_422_naming_the_header(referral, database, key):
    headers = DAZHAI_STATION | {"Idempotency-Key": key}
    url = f"{referral.case}/follow-up-visits"
    assert list(await refused_and_nothing_stored(referral, database, "POST", url, headers, {})) == ["Idempotency-Key"]


@pytest.mark.parametrize(
    "segment, field",
    [("not-a-uuid", "referral_id"), ("%00", "path"), ("%E2%80%AE", "referral_id"), ("1" * 5000, "referral_id")],
)
async def test_a_path_segment_that_is_not_a_referral_id_is_a_422(referral, database, segment, field):
    url = f"/v1/referrals/{segment}/helpers"
    assert list(await refused_and_nothing_stored(referral, database, "POST", url, DAZHAI_STATION, HELPER)) == [field]


@pytest.mark.parametrize(
    "method, url, headers, body, field",
    [
        ("PUT", "/v1/village-directors/140725103200", ADMIN, {"name": "   "}, "name"),
        ("PUT", "/v1/village-directors/140725103200", ADMIN, {"name": "张三", "phone": 1e308}, "phone"),
        ("PUT", "/v1/village-directors/140725103200", ADMIN, {"name": "张三", "active": None}, "active"),
        ("PUT", "/v1/village-directors/140725103200", ADMIN, {"name": "张三", "active": "false"}, "active"),
        ("PUT", "/v1/village-directors/140725103200", ADMIN, {"name": "张三", "active": 0}, "active"),
        ("PUT", "/v1/village-directors/140725103200", ADMIN, ["张三"], "body"),
        ("PUT", "/v1/village-directors/140725103200", ADMIN, DEEP, "body"),
        ("PUT", "/v1/village-directors/140725103000", ADMIN, {"name": "张三"}, "village_code"),
        ("PUT", "/v1/village-directors/14072510320%00", ADMIN, {"name": "张三"}, "path"),
        ("PUT", "/v1/village-directors/%20140725103200", ADMIN, {"name": "张三"}, "village_code"),
        ("DELETE", "/v1/village-directors/1407251032001", ADMIN, None, "village_code"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
async def test_a_bad_director_is_a_422_and_stores_nothing(referral, database, method, url, headers, body, field):
    assert list(await refused_and_nothing_stored(referral, database, method, url, headers, body)) == [field]


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/v1/counties/14072/load", {}, "county"),
        ("/v1/counties/1407241/load", {}, "county"),
        ("/v1/counties/14072%00/load", {}, "path"),
        ("/v1/counties/999999/load", {}, "county"),  # no such county: not an empty list
        ("/v1/counties/140799/load", {}, "county"),
        ("/v1/divisions/1/path", {}, "code"),
        ("/v1/divisions/1407241042001/path", {}, "code"),
        ("/v1/dashboard", {"area": ""}, "area"),
        ("/v1/dashboard", {"area": "1407\n"}, "area"),
        ("/v1/dashboard", {"area": "1" * 10_000}, "area"),
        *[(f"/v1/dashboard{kind}", {"area": unknown}, "area")  # no such division: not empty figures
          for kind in ("", ".csv", ".xlsx") for unknown in ("99", "140", "14072", "1407241", "999999999")],
        *[(f"/v1/dashboard{kind}", {"area": "1407", "days": days}, "days")
          for kind in ("", ".csv", ".xlsx") for days in ("0", "-1", "367", str(10**40), "1e308", "abc", "", "1.5")],
        ("/v1/village-directors", {"station": "14072410"}, "station"),
        ("/v1/village-directors", {"station": "140724104\x00"}, "station"),
    ],
)  # fmt: skip
async def test_a_bad_parameter_is_a_422_naming_it(referral, url, params, field):
    answer = await referral.get(url, params=params, headers=ADMIN if "directors" in url else COMMITTEE)
    assert answer.status_code == 422, answer.text
    assert [error["field"] for error in answer.json()["errors"]] == [field]


async def test_an_unknown_division_or_referral_is_a_404(referral):
    assert (await referral.get("/v1/divisions/999999999999/path")).status_code == 404
    for step, body, caller in TIMED:
        assert (await referral.post(f"/v1/referrals/{UNKNOWN}/{step}", json=body, headers=caller)).status_code == 404


FOREIGN_READS = [
    ("/v1/counties/140724/load", {}, [OTHER_CENTRE, OTHER_COMMITTEE, DAZHAI_STATION, DIRECTOR, *EMPTY.values()]),
    *[(f"/v1/dashboard{kind}", {"area": "1407"}, [OTHER_COMMITTEE, OTHER_CENTRE, DAZHAI_STATION, *EMPTY.values()])
      for kind in ("", ".csv", ".xlsx")],
    ("/v1/dashboard", {"area": "140724"}, [OTHER_CENTRE, OTHER_COMMITTEE, DIRECTOR]),
    ("/v1/tasks", {}, [NO_DIRECTOR, EMPTY[Role.VILLAGE], DAZHAI_STATION, CENTRE, COMMITTEE]),
    ("/v1/village-directors", {"station": "140724104"},
     [GAOLUO_STATION, CENTRE, COMMITTEE, DIRECTOR, EMPTY[Role.STATION]]),
    ("/v1/village-directors", {}, [CENTRE, COMMITTEE, DIRECTOR, *EMPTY.values()]),
]  # fmt: skip


@pytest.mark.parametrize("url, params, callers", FOREIGN_READS, ids=lambda v: v if isinstance(v, str) else "")
async def test_a_foreign_or_empty_scope_reads_nothing(referral, url, params, callers):
    for caller in callers:
        answer = await referral.get(url, params=params, headers=caller)
        assert answer.status_code in (403, 404), (caller, answer.status_code, answer.text[:200])


async def test_a_foreign_or_empty_scope_reads_no_case_and_takes_no_action(referral, database):
    strangers = [GAOLUO_STATION, OTHER_CENTRE, OTHER_COMMITTEE, OTHER_DIRECTOR, NO_DIRECTOR, *EMPTY.values()]
    before = await counts(database)
    for caller in strangers:
        assert (await referral.get(referral.case, headers=caller)).status_code in (403, 404), caller
        for step, body, _ in TIMED + [("tasks", {"kind": "contact"}, None), ("close", {"outcome": "resolved"}, None)]:
            answer = await referral.post(f"{referral.case}/{step}", json=body, headers=caller)
            assert answer.status_code in (403, 404), (step, caller, answer.text)
        for method in ("PUT", "DELETE"):
            answer = await referral.request(method, "/v1/village-directors/140724104200", json={"name": "张三"},
                                            headers=caller)  # fmt: skip
            assert answer.status_code == 403, (method, caller)
    assert await counts(database) == before
