"""The referral service in-process on real Kafka and PostgreSQL: routing, events, redelivery."""

import json
import uuid

import pytest

from services.referral.app import create_app
from services.referral.settings import ReferralSettings
from shared.domain.access import Role
from shared.events import ReportedChild
from shared.topics import REFERRAL_ASSIGNED, REFERRAL_UNROUTED, REPORT_RECEIVED, dead_letter_topic
from tests.auth import bearer, service_settings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.kafka_tools import produce, reading
from tests.waiting import eventually


@pytest.fixture(scope="module")
async def referral(infrastructure, referral_database):
    url = await referral_database()
    settings = service_settings(ReferralSettings, url, infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings)) as client:
        yield client


ADMIN = bearer(Role.ADMIN, "", "admin-1")


async def refer(client, infrastructure, event) -> dict:
    await produce(
        infrastructure.kafka_bootstrap_servers,
        REPORT_RECEIVED,
        event.model_dump_json().encode(),
        key=str(event.report_id).encode(),
    )

    async def referral_of_report():
        # as an administrator: some of these children live outside the default operator's area
        response = await client.get("/v1/referrals", params={"report_id": str(event.report_id)}, headers=ADMIN)
        return response.json()

    referrals = await eventually(referral_of_report, 60, "the referral")
    assert len(referrals) == 1
    return referrals[0]


async def test_a_township_with_a_station_is_referred_to_it_and_announced(referral, infrastructure):
    event = report_received("140724104201")
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ASSIGNED) as assigned:
        found = await refer(referral, infrastructure, event)
        record = await assigned.find(lambda r: json.loads(r.value)["referral_id"] == found["referral_id"])
    announced = json.loads(record.value)
    assert found["status"] == "assigned"
    assert found["assignee_code"] == "140724104"
    assert found["assignee_name"] == "晋中市昔阳县大寨镇未成年人保护工作站"
    assert found["priority"] == "P2"
    assert announced["report_id"] == str(event.report_id)
    assert announced["assignee_kind"] == "station"


async def test_a_township_without_a_station_goes_to_the_county_centre(referral, infrastructure):
    found = await refer(referral, infrastructure, report_received("140724999"))
    assert (found["status"], found["assignee_code"], found["assignee_kind"]) == (
        "assigned",
        "140724",
        "county_centre",
    )


async def test_an_area_nobody_covers_is_unrouted_and_announced(referral, infrastructure):
    event = report_received("110101001")
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_UNROUTED) as unrouted:
        found = await refer(referral, infrastructure, event)
        record = await unrouted.find(lambda r: json.loads(r.value)["referral_id"] == found["referral_id"])
    assert (found["status"], found["assignee_code"], found["routing_reason"]) == (
        "unrouted",
        None,
        "no_station_covers_division",
    )
    announced = json.loads(record.value)
    assert (announced["reason"], announced["version"], announced["area_code"]) == (
        "no_station_covers_division",
        1,
        "110101001",
    )


async def test_a_report_with_only_an_address_is_routed_by_the_resolver(referral, infrastructure):
    event = report_received(None, child=ReportedChild(address="山西省昔阳县洪水村三组", age=9))
    found = await refer(referral, infrastructure, event)
    assert (found["status"], found["assignee_code"], found["match_method"]) == ("assigned", "140724104", "village")


async def test_an_ambiguous_address_waits_in_the_unrouted_queue_with_its_candidates(referral, infrastructure):
    event = report_received(None, child=ReportedChild(address="晋中市北关街道", age=9))
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_UNROUTED) as unrouted:
        found = await refer(referral, infrastructure, event)
        record = await unrouted.find(lambda r: json.loads(r.value)["referral_id"] == found["referral_id"])
    assert (found["status"], found["routing_reason"]) == ("unrouted", "ambiguous_address")
    assert [c["code"] for c in found["candidates"]] == ["140702001", "140781001"]
    assert [c["path"] for c in json.loads(record.value)["candidates"]] == [
        "山西省 / 晋中市 / 榆次区 / 北关街道",
        "山西省 / 晋中市 / 介休市 / 北关街道",
    ]
    queue = await referral.get("/v1/unrouted")
    assert found["referral_id"] in [item["referral_id"] for item in queue.json()]


async def test_a_redelivered_report_makes_no_second_referral(referral, infrastructure):
    event, later = report_received(), report_received()
    key = str(event.report_id).encode()
    for _ in range(3):
        await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, event.model_dump_json().encode(), key)
    await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, later.model_dump_json().encode(), key)
    await refer(referral, infrastructure, later)  # same partition: the copies before it were handled
    response = await referral.get("/v1/referrals", params={"report_id": str(event.report_id)})
    assert len(response.json()) == 1


async def test_a_referral_shows_its_history(referral, infrastructure):
    found = await refer(referral, infrastructure, report_received("442000118"))
    zhongshan_hotline = bearer(Role.OPERATOR, "4420", "operator-zhongshan")
    detail = (await referral.get(f"/v1/referrals/{found['referral_id']}", headers=zhongshan_hotline)).json()
    assert detail["assignee_name"] == "中山市小榄镇未成年人保护工作站"
    assert [(h["action"], h["actor"]) for h in detail["history"]] == [("assigned", "system:routing")]
    assert [report["report_id"] for report in detail["reports"]] == [found["report_id"]]
    assert detail["history"][0]["detail"]["reason"] == "township_station"


async def test_an_unknown_referral_is_404(referral):
    assert (await referral.get(f"/v1/referrals/{uuid.uuid4()}")).status_code == 404


async def test_the_service_is_ready_when_broker_and_database_answer(referral):
    response = await referral.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "kafka": True}


async def test_a_station_sees_its_own_referral_and_no_other(referral, infrastructure):
    found = await refer(referral, infrastructure, report_received("140724104"))
    path = f"/v1/referrals/{found['referral_id']}"
    own = await referral.get(path, headers=bearer(Role.STATION, "140724104", "dazhai"))
    other = await referral.get(path, headers=bearer(Role.STATION, "140725103", "pingtou"))
    listed = await referral.get(
        "/v1/referrals", params={"report_id": found["report_id"]}, headers=bearer(Role.STATION, "140725103")
    )
    assert (own.status_code, other.status_code, listed.json()) == (200, 404, [])
    assert (await referral.get(path, headers={"Authorization": ""})).status_code == 401


async def test_an_unknown_version_is_dead_lettered_with_its_error_and_the_next_report_is_referred(
    referral, infrastructure
):
    poison = json.loads(report_received().model_dump_json()) | {"schema_version": 2}
    body = json.dumps(poison).encode()
    async with reading(infrastructure.kafka_bootstrap_servers, dead_letter_topic(REPORT_RECEIVED)) as dead:
        await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, body, key=b"same-partition")
        following = report_received()
        await produce(
            infrastructure.kafka_bootstrap_servers,
            REPORT_RECEIVED,
            following.model_dump_json().encode(),
            key=b"same-partition",
        )
        record = await dead.find(lambda r: r.value == body)
    assert dict(record.headers)["error"].decode().startswith("invalid ReportReceived: schema_version")
    response = await referral.get("/v1/referrals", params={"report_id": poison["report_id"]})
    assert response.json() == []
    assert (await refer(referral, infrastructure, following))["status"] == "assigned"
