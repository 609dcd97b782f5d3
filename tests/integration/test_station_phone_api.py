"""What a station's phone relies on, on real Kafka and PostgreSQL: an action sent again under its
Idempotency-Key answers the same and happens once; a key reused for another body, or malformed, is a 422
naming the header; a referral moved away is a 409 in words; case cards show the child masked, the village
and the concerns; a stated time out of bounds and unstorable notes are 422s naming the field."""

import asyncio
import json
from datetime import timedelta

import pytest

from services.referral.app import create_app
from services.referral.settings import ReferralSettings
from shared.domain.access import Role
from shared.domain.codes import Concern
from shared.events import ReportedChild, utcnow
from shared.topics import REFERRAL_ACTIONS, REPORT_RECEIVED
from tests.auth import bearer, service_settings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.kafka_tools import produce, reading
from tests.waiting import eventually

DAZHAI, LEPING, XIYANG = "140724104", "140724100", "140724"
JINSHIPO = "140724104201"  # 大寨镇金石坡村
DAZHAI_STATION = bearer(Role.STATION, DAZHAI, "dazhai-worker")
GAOLUO_STATION = bearer(Role.STATION, "140724101", "gaoluo-worker")
CENTRE = bearer(Role.COUNTY_CENTRE, XIYANG, "xiyang-centre")
COMMITTEE = bearer(Role.COMMITTEE, "1407", "committee-jinzhong")
# 90 different names: the modules that open referrals with opened() share them in one run
NAMES = (f"{given}{order}" for order in ("", *"二三四五六七八九") for given in "一二三四五六七八九十")


@pytest.fixture(scope="module")
async def referral(infrastructure, referral_database):
    settings = service_settings(ReferralSettings, await referral_database(), infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings)) as client:
        yield client


async def opened(client, infrastructure, name: str = "", **overrides) -> dict:
    """A referral about a child of its own (a child with an open referral would have the report linked)."""
    child = ReportedChild(name=name or f"李{next(NAMES)}", age=8, division_code=JINSHIPO)
    event = report_received(DAZHAI, **({"child": child} | overrides))
    payload = event.model_dump_json().encode()
    await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, payload, key=str(event.report_id).encode())

    async def found():
        return (await client.get("/v1/referrals", params={"report_id": str(event.report_id)})).json()

    [referral_found] = await eventually(found, 60, "the referral")
    return referral_found


async def acknowledged(client, infrastructure, **overrides) -> str:
    path = f"/v1/referrals/{(await opened(client, infrastructure, **overrides))['referral_id']}"
    assert (await client.post(f"{path}/acknowledge", json={}, headers=DAZHAI_STATION)).status_code == 200
    return path


def fields_of(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


async def test_a_visit_sent_again_with_its_key_answers_the_same_and_is_recorded_once(referral, infrastructure):
    path = await acknowledged(referral, infrastructure)
    keyed = DAZHAI_STATION | {"Idempotency-Key": "visit-7f3a"}
    body = {"at": utcnow().isoformat(), "notes": "入户，孩子在家"}
    referral_id = path.rsplit("/", 1)[1]
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions:
        first = await referral.post(f"{path}/visits", json=body, headers=keyed)
        again = await referral.post(f"{path}/visits", json=body, headers=keyed)
        contact = await referral.post(f"{path}/contacts", json={"method": "phone"}, headers=DAZHAI_STATION)
        ours = await actions.read_matching(lambda r: _after_acknowledging(r.value, referral_id), 2)

    assert (first.status_code, again.status_code, contact.status_code) == (200, 200, 200)
    assert again.json() == first.json()
    assert [json.loads(record.value)["action"] for record in ours] == ["home_visit_recorded", "contact_recorded"]
    history = (await referral.get(path, headers=DAZHAI_STATION)).json()["history"]
    assert [entry["action"] for entry in history].count("home_visit_recorded") == 1

    other = await referral.post(f"{path}/visits", json=body | {"notes": "另一次"}, headers=keyed)
    assert (other.status_code, fields_of(other)) == (422, ["Idempotency-Key"])
    elsewhere = await referral.post(f"{path}/assessments", json={"level": "fair"}, headers=keyed)
    assert (elsewhere.status_code, fields_of(elsewhere)) == (422, ["Idempotency-Key"])
    for bad in ("", "has space", "a.b", "x" * 65):
        malformed = await referral.post(f"{path}/visits", json={}, headers=DAZHAI_STATION | {"Idempotency-Key": bad})
        assert (malformed.status_code, fields_of(malformed)) == (422, ["Idempotency-Key"]), bad
    after = (await referral.get(path, headers=DAZHAI_STATION)).json()["history"]
    assert [entry["action"] for entry in after].count("home_visit_recorded") == 1


def _after_acknowledging(value: bytes, referral_id: str) -> bool:
    event = json.loads(value)
    return event["referral_id"] == referral_id and event["action"] != "acknowledged"


async def test_two_sends_at_once_under_one_key_act_once(referral, infrastructure):
    path = await acknowledged(referral, infrastructure)
    keyed = DAZHAI_STATION | {"Idempotency-Key": "both-at-once"}
    answers = await asyncio.gather(*(referral.post(f"{path}/visits", json={}, headers=keyed) for _ in range(3)))
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.text for answer in answers}) == 1
    history = (await referral.get(path, headers=DAZHAI_STATION)).json()["history"]
    assert [entry["action"] for entry in history].count("home_visit_recorded") == 1


async def test_the_same_key_from_another_caller_is_its_own(referral, infrastructure):
    path = await acknowledged(referral, infrastructure)
    key = {"Idempotency-Key": "shared-key-1"}
    mine = await referral.post(f"{path}/visits", json={}, headers=DAZHAI_STATION | key)
    theirs = await referral.post(f"{path}/priority", json={"priority": "P1", "reason": "复核"}, headers=CENTRE | key)
    assert (mine.status_code, theirs.status_code) == (200, 200)


async def test_a_station_the_referral_moved_away_from_gets_409_in_words(referral, infrastructure):
    path = await acknowledged(referral, infrastructure)
    moved = await referral.post(
        f"{path}/reassign", json={"division_code": LEPING, "reason": "属地核实"}, headers=CENTRE
    )
    assert moved.status_code == 200, moved.text

    refused = await referral.post(f"{path}/visits", json={}, headers=DAZHAI_STATION | {"Idempotency-Key": "late-1"})
    assert refused.status_code == 409
    assert refused.json() == {"detail": "该转介已改派给其他单位", "code": "no_longer_held"}
    stranger = await referral.post(f"{path}/visits", json={}, headers=GAOLUO_STATION)
    assert (stranger.status_code, stranger.json()) == (404, {"detail": "没有这个转介"})
    assert (await referral.get(path, headers=DAZHAI_STATION)).status_code == 404


async def test_case_cards_show_the_child_masked_the_village_and_the_concerns(referral, infrastructure):
    concerns = [Concern.NEGLECT, Concern.LACK_OF_GUARDIANSHIP]
    found = await opened(referral, infrastructure, "王小明", concerns=concerns)
    for caller in (DAZHAI_STATION, COMMITTEE):
        listed = await referral.get(f"/v1/stations/{DAZHAI}/referrals", headers=caller)
        assert listed.status_code == 200
        [card] = [row for row in listed.json() if row["referral_id"] == found["referral_id"]]
        assert (card["child_name_masked"], card["village_name"]) == ("王*明", "金石坡村")
        assert card["concern_labels"] == ["监护缺失", "忽视"]
        assert card["received_at"] and card["case_number"]
    committee_sees = await referral.get(f"/v1/referrals/{found['referral_id']}", headers=COMMITTEE)
    assert "王小明" not in committee_sees.text
    assert (await referral.get(f"/v1/stations/{LEPING}/referrals", headers=DAZHAI_STATION)).status_code == 404

    nameless = await opened(referral, infrastructure, child=ReportedChild(age=8, division_code=DAZHAI))
    listed = (await referral.get(f"/v1/stations/{DAZHAI}/referrals", headers=DAZHAI_STATION)).json()
    [card] = [row for row in listed if row["referral_id"] == nameless["referral_id"]]
    assert (card["child_name_masked"], card["village_name"]) == (None, "大寨镇")


async def test_stated_times_out_of_bounds_and_unstorable_notes_are_422s(referral, infrastructure):
    path = await acknowledged(referral, infrastructure, received_at=utcnow() - timedelta(hours=2))
    for at in ("9999-12-31T23:59:59", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00", "昨天下午"):
        for step, body in (("visits", {}), ("police-feedback", {"feedback": "case_filed"})):
            response = await referral.post(f"{path}/{step}", json=body | {"at": at}, headers=DAZHAI_STATION)
            assert (response.status_code, fields_of(response)) == (422, ["at"]), (step, at)
    early = (utcnow() - timedelta(hours=3)).isoformat()
    response = await referral.post(f"{path}/contacts", json={"method": "phone", "at": early}, headers=DAZHAI_STATION)
    assert (response.status_code, fields_of(response)) == (422, ["at"])
    response = await referral.post(f"{path}/visits", json={"notes": "入户\u0000"}, headers=DAZHAI_STATION)
    assert (response.status_code, fields_of(response)) == (422, ["notes"])
