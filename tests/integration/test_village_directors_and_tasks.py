"""Village child directors on a real database and Kafka: the directory (CSV import, admin edits), tasks a station
hands to a village, and the director's list, access and steps."""

import json
import subprocess
from pathlib import Path

import asyncpg
import pytest

from deploy.local.process import REPO_ROOT
from services.referral.app import create_app
from services.referral.application.village_directors import InvalidDirectors, import_directors
from services.referral.settings import ReferralSettings
from shared.domain.access import Role
from shared.events import ReportedChild, SharedReporterIdentity
from shared.topics import REFERRAL_ACTIONS
from tests.auth import bearer, service_settings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.integration.test_referral_lifecycle import referral_of, send
from tests.integration.test_stations_api import run_import as import_file
from tests.integration.test_stations_api import stored
from tests.kafka_tools import reading

DEMO_DIRECTORS = REPO_ROOT / "reference" / "demo_village_directors.csv"
DAZHAI, DAZHAI_VILLAGE, JINSHIPO = "140724104", "140724104200", "140724104201"
HOUZHUANG = "140724104205"  # a village of 大寨镇 with no director
PINGTOU_VILLAGE = "140725103200"  # a village of 寿阳县平头镇
ADMIN = bearer(Role.ADMIN, subject="admin-1")
STATION = bearer(Role.STATION, DAZHAI, "dazhai", name="李娜")
PINGTOU_STATION = bearer(Role.STATION, "140725103", "pingtou")
DIRECTOR = bearer(Role.VILLAGE, DAZHAI_VILLAGE, "director-dazhai", name="贾玉兰")
NEIGHBOUR = bearer(Role.VILLAGE, JINSHIPO, "director-jinshipo", name="宋建华")


@pytest.fixture(scope="module")
async def database(referral_database) -> str:
    url = await referral_database()
    assert await import_directors(url, DEMO_DIRECTORS) == 6
    return url


@pytest.fixture(scope="module")
async def referral(infrastructure, database):
    settings = service_settings(ReferralSettings, database, infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings), headers=ADMIN) as client:
        yield client


async def stored_director(database: str, village_code: str) -> asyncpg.Record | None:
    return await stored(database, village_code, "village_directors", "village_code")


def run_import(database_url: str, csv_path: Path) -> subprocess.CompletedProcess:
    return import_file(database_url, csv_path, "import_village_directors")


async def acknowledged(client, infrastructure, name: str, **overrides) -> str:
    """A new referral of a child of 大寨村, acknowledged by the station (each test its own child: not a repeat)."""
    child = ReportedChild(name=name, age=9, division_code=DAZHAI_VILLAGE)
    event = report_received(DAZHAI_VILLAGE, child=child, **overrides)
    await send(infrastructure, event)
    referral_id = (await referral_of(client, event.report_id))["referral_id"]
    answer = await client.post(f"/v1/referrals/{referral_id}/acknowledge", json={}, headers=STATION)
    assert answer.status_code == 200, answer.text
    return referral_id


def errors_of(answer) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    return {error["field"]: error["code"] for error in answer.json()["errors"]}


# The directory


async def test_the_cli_imports_good_rows_and_a_bad_file_stores_nothing_naming_row_and_field(database, tmp_path):
    bad = tmp_path / "directors.csv"
    bad.write_text(
        f"village_code,name,phone\n{HOUZHUANG},赵桂花,13934401205\n140724104998,钱多多,\n{JINSHIPO},孙\x01红,\n",
        encoding="utf-8",
    )
    command = run_import(database, bad)
    assert command.returncode != 0
    assert "line 3, field village_code: unknown_village" in command.stderr
    assert "line 4, field name" in command.stderr
    assert "赵桂花" not in command.stderr + command.stdout and "钱多多" not in command.stderr
    assert await stored_director(database, HOUZHUANG) is None
    with pytest.raises(InvalidDirectors):
        await import_directors(database, bad)
    good = run_import(database, DEMO_DIRECTORS)
    assert good.returncode == 0, good.stderr
    assert "loaded 6 village child directors" in good.stdout


@pytest.mark.parametrize(
    "village, body, expected",
    [
        (PINGTOU_VILLAGE, {"name": "张\x00三"}, {"name": "control_characters"}),
        (PINGTOU_VILLAGE, {"name": 5, "phone": "12345"}, {"name": "string_type", "phone": "phone_format"}),
        (PINGTOU_VILLAGE, {"name": "张三", "active": "maybe"}, {"active": "bool_type"}),
        (PINGTOU_VILLAGE, {"name": "张三", "village": "x"}, {"village": "extra_forbidden"}),
        ("140725103999", {"name": "张三"}, {"village_code": "unknown_village"}),
        ("140725103", {"name": "张三"}, {"village_code": "string_pattern_mismatch"}),
    ],
)
async def test_a_bad_director_is_422_naming_its_fields_and_nothing_is_stored(
    referral, database, village, body, expected
):
    assert errors_of(await referral.put(f"/v1/village-directors/{village}", json=body)) == expected
    assert await stored_director(database, village) is None


async def test_an_admin_adds_changes_and_deactivates_a_director_and_no_one_else_may(referral, database):
    path = f"/v1/village-directors/{PINGTOU_VILLAGE}"
    created = await referral.put(path, json={"name": "阿依古丽·买买提", "phone": "13800138000"})
    assert created.status_code == 201, created.text
    assert created.json()["village_name"] == "平头村"
    changed = await referral.put(path, json={"name": "阿依古丽·买买提", "phone": "13900139000"})
    assert (changed.status_code, changed.json()["phone"]) == (200, "13900139000")
    for caller in (STATION, DIRECTOR, bearer(Role.COUNTY_CENTRE, "140724", "centre")):
        assert (await referral.put(path, json={"name": "张三"}, headers=caller)).status_code == 403
        assert (await referral.delete(path, headers=caller)).status_code == 403
    director = bearer(Role.VILLAGE, PINGTOU_VILLAGE, "director-pingtou")
    assert (await referral.get("/v1/tasks", headers=director)).json() == []  # its scope fits at once
    deactivated = await referral.delete(path)
    assert (await referral.get("/v1/tasks", headers=director)).status_code == 403  # and no longer
    assert (deactivated.status_code, deactivated.json()["active"]) == (200, False)
    assert (await stored_director(database, PINGTOU_VILLAGE))["active"] is False
    assert (await referral.delete("/v1/village-directors/140725103201")).status_code == 404


async def test_a_station_lists_its_townships_directors_by_name_without_phones(referral):
    listed = await referral.get("/v1/village-directors", headers=STATION)
    assert listed.status_code == 200, listed.text
    assert {d["village_code"] for d in listed.json()} >= {DAZHAI_VILLAGE, JINSHIPO}
    assert all(d["village_code"].startswith(DAZHAI) and d["phone"] is None for d in listed.json())
    assert next(d for d in listed.json() if d["village_code"] == DAZHAI_VILLAGE)["village_name"] == "大寨村"
    assert (
        await referral.get("/v1/village-directors", params={"station": "140725103"}, headers=STATION)
    ).status_code == 404
    assert (await referral.get("/v1/village-directors", headers=DIRECTOR)).status_code == 403
    everyone = await referral.get("/v1/village-directors", params={"station": DAZHAI})
    assert next(d for d in everyone.json() if d["village_code"] == DAZHAI_VILLAGE)["phone"] == "13934401200"


# Tasks


async def test_a_task_goes_only_to_a_village_of_the_township_with_a_director_and_one_of_a_kind(
    referral, infrastructure
):
    referral_id = await acknowledged(referral, infrastructure, "李小红")
    tasks = f"/v1/referrals/{referral_id}/tasks"
    outside = await referral.post(tasks, json={"kind": "contact", "village_code": PINGTOU_VILLAGE}, headers=STATION)
    assert errors_of(outside) == {"village_code": "village_outside_township"}
    no_director = await referral.post(tasks, json={"kind": "contact", "village_code": HOUZHUANG}, headers=STATION)
    assert errors_of(no_director) == {"village_code": "no_director"}
    assert errors_of(await referral.post(tasks, json={"kind": "chat"}, headers=STATION)) == {"kind": "enum"}
    not_yet = await referral.post(tasks, json={"kind": "follow_up_visit"}, headers=STATION)
    assert not_yet.status_code == 409
    handed = await referral.post(tasks, json={"kind": "contact", "notes": "请联系监护人"}, headers=STATION)
    assert handed.status_code == 200, handed.text
    entry = handed.json()["history"][-1]
    assert handed.json()["open_tasks"] == [{"kind": "contact", "village_code": DAZHAI_VILLAGE}]
    assert (entry["action"], entry["detail"]["kind"], entry["detail"]["village_code"]) == (
        "task_handed",
        "contact",
        DAZHAI_VILLAGE,
    )
    again = await referral.post(tasks, json={"kind": "contact", "village_code": JINSHIPO}, headers=STATION)
    assert again.status_code == 409
    assert (await referral.post(tasks, json={"kind": "home_visit"}, headers=PINGTOU_STATION)).status_code == 404


async def test_a_task_whose_director_has_left_may_be_handed_again(referral, infrastructure):
    tasks = f"/v1/referrals/{await acknowledged(referral, infrastructure, '赵小刚')}/tasks"
    handed = await referral.post(tasks, json={"kind": "home_visit", "village_code": JINSHIPO}, headers=STATION)
    assert handed.status_code == 200, handed.text
    assert (await referral.delete(f"/v1/village-directors/{JINSHIPO}")).status_code == 200
    try:
        again = await referral.post(tasks, json={"kind": "home_visit"}, headers=STATION)
        assert again.status_code == 200, again.text
        assert again.json()["open_tasks"] == [{"kind": "home_visit", "village_code": DAZHAI_VILLAGE}]
    finally:
        await referral.put(f"/v1/village-directors/{JINSHIPO}", json={"name": "宋建华", "phone": "13934401201"})


async def test_the_director_lists_and_reads_its_tasks_without_the_reporter_and_its_contact_completes_the_stage(
    referral, infrastructure
):
    reporter = SharedReporterIdentity(name="举报人甲", phone="13700137000", relation="邻居")
    referral_id = await acknowledged(referral, infrastructure, "王小明", reporter_identity=reporter)
    assert (await referral.get(f"/v1/referrals/{referral_id}", headers=DIRECTOR)).status_code == 404
    handed = await referral.post(f"/v1/referrals/{referral_id}/tasks", json={"kind": "contact"}, headers=STATION)
    task_id = handed.json()["history"][-1]["detail"]["task_id"]

    listed = (await referral.get("/v1/tasks", headers=DIRECTOR)).json()
    assert listed[0]["task_id"] == task_id and listed[0]["referral_id"] == referral_id
    assert (listed[0]["kind"], listed[0]["child_name_masked"], listed[0]["village_name"]) == (
        "contact",
        "王*明",
        "大寨村",
    )
    assert listed[0]["concern_labels"] and listed[0]["priority"] and listed[0]["received_at"]
    assert all(
        task["referral_id"] != referral_id for task in (await referral.get("/v1/tasks", headers=NEIGHBOUR)).json()
    )
    assert (await referral.get(f"/v1/referrals/{referral_id}", headers=NEIGHBOUR)).status_code == 404
    assert (await referral.get("/v1/tasks", headers=STATION)).status_code == 403
    assert (await referral.get(f"/v1/stations/{DAZHAI}/referrals", headers=DIRECTOR)).status_code == 404

    seen = await referral.get(f"/v1/referrals/{referral_id}", headers=DIRECTOR)
    assert seen.status_code == 200
    assert [report["reporter_identity"] for report in seen.json()["reports"]] == [None]
    assert "举报人甲" not in seen.text and "13700137000" not in seen.text
    assert (await referral.post(f"/v1/referrals/{referral_id}/visits", json={}, headers=DIRECTOR)).status_code == 403

    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions:
        contact = await referral.post(
            f"/v1/referrals/{referral_id}/contacts", json={"method": "in_person"}, headers=DIRECTOR
        )
        assert contact.status_code == 200, contact.text
        record = await actions.find(
            lambda r: (
                json.loads(r.value)["referral_id"] == referral_id
                and json.loads(r.value)["action"] == "contact_recorded"
            )
        )
    event = json.loads(record.value)
    assert (event["actor"], event["assignee_code"]) == (f"village:{DAZHAI_VILLAGE}", DAZHAI)
    assert "贾玉兰" not in record.value.decode()
    case = (await referral.get(f"/v1/referrals/{referral_id}", headers=STATION)).json()
    entry = case["history"][-1]
    assert (entry["action"], entry["actor"], entry["detail"]["by"]) == (
        "contact_recorded",
        f"village:{DAZHAI_VILLAGE}",
        "贾玉兰",
    )
    assert case["first_contact_at"] and case["assignee_code"] == DAZHAI and case["open_tasks"] == []
    assert all(
        task["referral_id"] != referral_id for task in (await referral.get("/v1/tasks", headers=DIRECTOR)).json()
    )
    assert (await referral.get(f"/v1/referrals/{referral_id}", headers=DIRECTOR)).status_code == 404
