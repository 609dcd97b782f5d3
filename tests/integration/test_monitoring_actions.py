"""After the assessment, on real Kafka and PostgreSQL: a child assessed 较差 is under monitoring; the station names
the pairing helper (seen by name by the holder and the centre, masked for the committee, never in an event) and
records follow-up visits; the county centre takes the child into temporary guardianship and ends it; the
committee's figures count the children under monitoring by level and those in guardianship; the station ends
monitoring when the child moves away, and the new township's station holds the case. Hostile input is a 422
naming the field; a station of another township and a centre of another county get 404, the committee 403."""

import csv
import io
import json
from datetime import date

import asyncpg
import pytest
from openpyxl import load_workbook

from services.referral.adapters.anonymisation import anonymise_closed_reports
from services.referral.app import create_app
from services.referral.settings import ReferralSettings
from shared.database import create_pool
from shared.domain.access import Role
from shared.events import ReportedChild
from shared.topics import REFERRAL_ACTIONS, REFERRAL_ASSIGNED
from tests.auth import bearer, service_settings
from tests.factories import VALID_CHILD_ID
from tests.integration.conftest import serving
from tests.integration.test_station_phone_api import (
    CENTRE,
    COMMITTEE,
    DAZHAI,
    DAZHAI_STATION,
    GAOLUO_STATION,
    JINSHIPO,
    LEPING,
    fields_of,
    opened,
)
from tests.kafka_tools import reading

OTHER_CENTRE = bearer(Role.COUNTY_CENTRE, "140725", "shouyang-centre")
HELPER = {"name": "王芳", "phone": "13812345678", "notes": "村妇联主任"}
NINE_YEARS_OLD = ReportedChild(name="孙小九", id_number=VALID_CHILD_ID, division_code=JINSHIPO)


@pytest.fixture(scope="module")
async def referral(infrastructure, referral_database):
    database_url = await referral_database()
    settings = service_settings(ReferralSettings, database_url, infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings)) as client:
        client.database_url = database_url
        yield client


async def monitored(client, infrastructure, level: str = "poor", **overrides) -> str:
    found = await opened(client, infrastructure, **overrides)
    path = f"/v1/referrals/{found['referral_id']}"
    assert (await client.post(f"{path}/acknowledge", json={}, headers=DAZHAI_STATION)).status_code == 200
    assessed = await client.post(f"{path}/assessments", json={"level": level}, headers=DAZHAI_STATION)
    assert assessed.status_code == 200, assessed.text
    assert (assessed.json()["status"], assessed.json()["monitoring_level"]) == ("monitoring", level)
    return path


def _ours(referral_id: str, action: str):
    return lambda record: (
        (event := json.loads(record.value))["referral_id"] == referral_id and event["action"] == action
    )


async def test_the_helper_is_named_by_name_for_the_holder_and_the_centre_and_never_announced(referral, infrastructure):
    path = await monitored(referral, infrastructure)
    referral_id = path.rsplit("/", 1)[1]
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions:
        named = await referral.post(f"{path}/helpers", json=HELPER, headers=DAZHAI_STATION)
        assert named.status_code == 200, named.text
        event = json.loads((await actions.find(_ours(referral_id, "helper_named"))).value)
    assert set(event["detail"]) == {"at"} and event["status"] == "monitoring"
    assert "王芳" not in json.dumps(named.json()["history"], ensure_ascii=False)
    for holder in (DAZHAI_STATION, CENTRE):
        helper = (await referral.get(path, headers=holder)).json()["helper"]
        assert (helper["name"], helper["phone"]) == ("王芳", "13812345678")
    seen = (await referral.get(path, headers=COMMITTEE)).json()
    assert (seen["helper"]["name"], seen["helper"]["phone"]) == ("王*", "138****5678")
    assert "王芳" not in json.dumps(seen, ensure_ascii=False)

    replaced = await referral.post(f"{path}/helpers", json={"name": "John Smith"}, headers=DAZHAI_STATION)
    assert (replaced.json()["helper"]["name"], replaced.json()["helper"]["phone"]) == ("John Smith", None)
    keyed = DAZHAI_STATION | {"Idempotency-Key": "follow-up-1"}
    first = await referral.post(f"{path}/follow-up-visits", json={"notes": "孩子在家"}, headers=keyed)
    again = await referral.post(f"{path}/follow-up-visits", json={"notes": "孩子在家"}, headers=keyed)
    assert (first.status_code, again.json()) == (200, first.json())
    assert first.json()["monitoring"]["follow_up_visit_at"]
    history = [entry["action"] for entry in first.json()["history"]]
    assert history.count("follow_up_visit_recorded") == 1 and history.count("helper_named") == 2


async def test_guardianship_by_the_centre_and_the_committees_figures(referral, infrastructure):
    path = await monitored(referral, infrastructure, "dangerous")
    detail = (await referral.get(path, headers=DAZHAI_STATION)).json()
    assert detail["police_required"] and detail["history"][-1]["detail"]["police_required"] == "true"
    figures = await _dazhai_figures(referral)
    assert figures["monitoring_dangerous"] >= 1

    body = {"placement": "昔阳县儿童福利院", "reason": "父母均无法履行监护职责"}
    assert (await referral.post(f"{path}/guardianship", json=body, headers=DAZHAI_STATION)).status_code == 403
    started = await referral.post(f"{path}/guardianship", json=body, headers=CENTRE)
    assert started.status_code == 200, started.text
    assert (started.json()["status"], started.json()["in_guardianship"]) == ("acknowledged", True)
    assert started.json()["guardianship"]["guardianship_placement"] == "昔阳县儿童福利院"
    assert started.json()["monitoring"]["monitoring_end_reason"] == "guardianship"
    after = await _dazhai_figures(referral)
    assert after["in_guardianship"] == figures["in_guardianship"] + 1
    assert after["monitoring_dangerous"] == figures["monitoring_dangerous"] - 1
    again = await referral.post(f"{path}/guardianship", json=body, headers=CENTRE)
    assert again.status_code == 409

    exported = await referral.get("/v1/dashboard.csv", params={"area": "140724"}, headers=COMMITTEE)
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    [row] = [row for row in rows if row["区划代码"] == DAZHAI]
    assert int(row["临时监护中"]) == after["in_guardianship"]
    assert int(row["监护监测中（较差）"]) == after["monitoring_poor"]
    workbook = await referral.get("/v1/dashboard.xlsx", params={"area": "140724"}, headers=COMMITTEE)
    sheet = load_workbook(io.BytesIO(workbook.content))["乡镇（街道）"]
    headers = [cell.value for cell in sheet[1]]
    [cells] = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[-1] == DAZHAI]
    assert cells[headers.index("临时监护中")] == after["in_guardianship"]

    ended = await referral.post(f"{path}/guardianship/end", json={"reason": "亲属接回"}, headers=CENTRE)
    assert (ended.status_code, ended.json()["in_guardianship"]) == (200, False)
    assert ended.json()["guardianship"]["guardianship_ended_at"]


async def test_not_needed_keeps_monitoring_and_moving_away_goes_to_the_new_station(referral, infrastructure):
    path = await monitored(referral, infrastructure, "dangerous")
    decided = await referral.post(f"{path}/guardianship/not-needed", json={"reason": "亲属可照料"}, headers=CENTRE)
    assert (decided.status_code, decided.json()["status"]) == (200, "monitoring")
    referral_id = path.rsplit("/", 1)[1]
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ASSIGNED) as placements:
        moved = await referral.post(
            f"{path}/monitoring-end", json={"reason": "moved_away", "division_code": LEPING}, headers=DAZHAI_STATION
        )
        assert moved.status_code == 200, moved.text
        placed = json.loads((await placements.find(lambda r: json.loads(r.value)["referral_id"] == referral_id)).value)
    assert (placed["assignee_code"], placed["reason"]) == (LEPING, "reassigned")
    assert (await referral.get(path, headers=DAZHAI_STATION)).status_code == 404
    leping = bearer(Role.STATION, LEPING, "leping-worker")
    now_there = (await referral.get(path, headers=leping)).json()
    assert (now_there["status"], now_there["monitoring"]["monitoring_end_reason"]) == ("assigned", "moved_away")
    assert (await referral.post(f"{path}/acknowledge", json={}, headers=leping)).status_code == 200


async def test_hostile_input_is_a_422_naming_the_field(referral, infrastructure):
    path = await monitored(referral, infrastructure, "fair", child=NINE_YEARS_OLD)
    bad = [
        ("helpers", {"name": "王\u0000芳"}, "name"),
        ("helpers", {"name": "王芳2"}, "name"),
        ("helpers", {"name": "王" * 51}, "name"),
        ("helpers", {"name": ["王芳"]}, "name"),
        ("helpers", {"name": "王芳", "phone": "123"}, "phone"),
        ("helpers", {"name": "王芳", "phone": 13812345678}, "phone"),
        ("helpers", {"name": "王芳", "at": "0001-01-01T00:00:00"}, "at"),
        ("helpers", {"name": "王芳", "at": "9999-12-31T23:59:59"}, "at"),
        ("follow-up-visits", {"at": 10**30}, "at"),
        ("follow-up-visits", {"notes": "随访\u0001"}, "notes"),
        ("monitoring-end", {"reason": "good_assessment"}, "reason"),
        ("monitoring-end", {"reason": "moved_away"}, "division_code"),
        ("monitoring-end", {"reason": "moved_away", "division_code": "999999999"}, "division_code"),
        ("monitoring-end", {"reason": "moved_away", "division_code": DAZHAI}, "division_code"),
        ("monitoring-end", {"reason": "moved_away", "division_code": JINSHIPO}, "division_code"),
        ("monitoring-end", {"reason": "turned_18", "division_code": LEPING}, "division_code"),
        ("monitoring-end", {"reason": "turned_18"}, "reason"),  # the ID number says the child is 9
    ]
    for step, body, field in bad:
        response = await referral.post(f"{path}/{step}", json=body, headers=DAZHAI_STATION)
        assert (response.status_code, fields_of(response)) == (422, [field]), (step, body, response.text)
    centre_bad = [
        ("guardianship", {"placement": "", "reason": "原因"}, "placement"),
        ("guardianship", {"placement": "福利院", "reason": "因" * 501}, "reason"),
        ("guardianship", {"placement": "福利院", "reason": 5}, "reason"),
        ("guardianship/end", {"reason": "返家", "at": "0001-01-01"}, "at"),
        ("guardianship/not-needed", {"reason": ""}, "reason"),
    ]
    for step, body, field in centre_bad:
        response = await referral.post(f"{path}/{step}", json=body, headers=CENTRE)
        assert (response.status_code, fields_of(response)) == (422, [field]), (step, body, response.text)
    assert (await referral.get(path, headers=DAZHAI_STATION)).json()["helper"] is None


async def test_who_may_act_another_township_or_county_is_404_the_committee_403(referral, infrastructure):
    path = await monitored(referral, infrastructure)
    for step, body in (("helpers", HELPER), ("follow-up-visits", {}), ("monitoring-end", {"reason": "turned_18"})):
        stranger = await referral.post(f"{path}/{step}", json=body, headers=GAOLUO_STATION)
        assert stranger.status_code == 404, step
        assert (await referral.post(f"{path}/{step}", json=body, headers=COMMITTEE)).status_code == 403, step
    for step, body in (
        ("guardianship", {"placement": "福利院", "reason": "无人监护"}),
        ("guardianship/end", {"reason": "返家"}),
    ):
        assert (await referral.post(f"{path}/{step}", json=body, headers=OTHER_CENTRE)).status_code == 404, step
        assert (await referral.post(f"{path}/{step}", json=body, headers=COMMITTEE)).status_code == 403, step
    assert (
        await referral.post(f"{path}/monitoring-end", json={"reason": "turned_18"}, headers=CENTRE)
    ).status_code == 403


async def test_the_retention_removes_the_helpers_name_and_phone(referral, infrastructure):
    adult = ReportedChild(name="赵大", birth_date=date(2000, 1, 1), division_code=JINSHIPO)
    path = await monitored(referral, infrastructure, child=adult)
    await referral.post(f"{path}/helpers", json=HELPER, headers=DAZHAI_STATION)
    ended = await referral.post(f"{path}/monitoring-end", json={"reason": "turned_18"}, headers=DAZHAI_STATION)
    assert (ended.status_code, ended.json()["status"]) == (200, "acknowledged"), ended.text
    closed = await referral.post(f"{path}/close", json={"outcome": "resolved"}, headers=DAZHAI_STATION)
    assert closed.status_code == 200, closed.text
    referral_id = path.rsplit("/", 1)[1]
    connection = await asyncpg.connect(referral.database_url)
    try:
        await connection.execute(
            "UPDATE referrals SET closed_at = now() - interval '6 years' WHERE referral_id = $1", referral_id
        )
    finally:
        await connection.close()
    assert await _anonymised(referral.database_url) >= 1
    helper = (await referral.get(path, headers=DAZHAI_STATION)).json()["helper"]
    assert (helper["name"], helper["phone"]) == (None, None) and helper["named_at"]


async def _anonymised(database_url: str) -> int:
    pool = await create_pool(database_url)
    try:
        return await anonymise_closed_reports(pool, 5, 100)
    finally:
        await pool.close()


async def _dazhai_figures(client) -> dict:
    figures = (await client.get("/v1/dashboard", params={"area": "140724"}, headers=COMMITTEE)).json()
    [row] = [place for place in figures["places"] if place["township"] == DAZHAI]
    return row
