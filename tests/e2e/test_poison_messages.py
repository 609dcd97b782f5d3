"""Malformed and unknown-version events on every topic a service reads end in that topic's dead letters, with
their error, from each service that reads it; and every consumer carries on with the events behind them."""

import json
import uuid
from collections.abc import Callable
from datetime import timedelta

from aiokafka import AIOKafkaProducer

from shared.domain.access import Role
from shared.domain.codes import AssigneeKind, Priority
from shared.events import (
    DeadlineScheduled,
    Event,
    ReferralAction,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
    ReportReceived,
    ReportStuck,
    StationDirectoryChanged,
    utcnow,
)
from shared.topics import dead_letter_topic
from tests.auth import bearer
from tests.e2e.test_thin_path import follow
from tests.factories import referral_assigned, report_body, report_received
from tests.kafka_tools import partitions_of, reading
from tests.waiting import eventually

IDS = {"referral_id": uuid.uuid4(), "report_id": uuid.uuid4()}
NOW = utcnow()

# Each event type a service reads (see its consumers.py), a valid example of it, and who reads it.
READ: list[tuple[type[Event], Callable[[], Event], set[str]]] = [
    (ReportReceived, report_received, {"referral"}),
    (ReferralAssigned, referral_assigned, {"intake", "notification"}),
    (
        ReferralUnrouted,
        lambda: ReferralUnrouted(**IDS, reason="unresolved", priority=Priority.P3),
        {"intake", "notification"},
    ),
    (
        ReportLinked,
        lambda: ReportLinked(**IDS, assignee_code=None, assignee_name=None, priority=Priority.P3, reports_in_window=2),
        {"intake"},
    ),
    (
        DeadlineScheduled,
        lambda: DeadlineScheduled(
            **IDS,
            deadline_id=uuid.uuid4(),
            stage="acknowledge",
            priority=Priority.P3,
            assignee_code="140724104",
            due_at=NOW + timedelta(days=1),
            provisional=False,
        ),
        {"intake"},
    ),
    (
        ReferralActionRecorded,
        lambda: ReferralActionRecorded(
            **IDS,
            version=2,
            action=ReferralAction.ACKNOWLEDGED,
            actor="station:140724104",
            at=NOW,
            status="acknowledged",
            assignee_code="140724104",
            priority=Priority.P3,
        ),
        {"notification"},
    ),
    (
        StationDirectoryChanged,
        lambda: StationDirectoryChanged(
            code="140724104", kind=AssigneeKind.STATION, name="大寨镇工作站", county_code="140724", updated_at=NOW
        ),
        {"notification"},
    ),
    (ReportStuck, lambda: ReportStuck(report_id=IDS["report_id"], reason="no_referral", since=NOW), {"notification"}),
]


def _poisons(example: Event) -> dict[bytes, str]:
    """A malformed body and an unknown version, each made unique; with the start of the error expected."""
    marker = uuid.uuid4().hex
    unknown_version = json.loads(example.model_dump_json()) | {"schema_version": 99, "event_id": str(uuid.uuid4())}
    return {
        f'{{"event_id": "{marker}", "cut off'.encode(): "json_invalid",
        json.dumps(unknown_version).encode(): "schema_version",
    }


async def _put_on_every_partition(bootstrap: str, topic: str, bodies: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for partition in await producer.partitions_for(topic):
            for body in bodies:  # a key, for the compacted directory topic refuses records without one
                await producer.send_and_wait(topic, body, key=f"poison-{uuid.uuid4()}".encode(), partition=partition)
    finally:
        await producer.stop()


async def test_poison_on_every_topic_is_set_aside_by_each_reader_and_the_readers_carry_on(system, http, infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    for event_type, example, readers in READ:
        poisons = _poisons(example())
        async with reading(bootstrap, dead_letter_topic(event_type.TOPIC)) as dead:
            await _put_on_every_partition(bootstrap, event_type.TOPIC, list(poisons))
            partitions = len(await partitions_of(bootstrap, event_type.TOPIC))
            expected = partitions * len(poisons) * len(readers)
            records = await dead.read_matching(lambda r, bodies=poisons: r.value in bodies, expected, timeout=60)
        for record in records:
            headers = {name: value.decode() for name, value in record.headers}
            assert headers["source_topic"] == event_type.TOPIC
            assert headers["error"].startswith(f"invalid {event_type.__name__}: ")
            assert poisons[record.value] in headers["error"]
        groups = {dict(record.headers)["consumer_group"].decode() for record in records}
        assert {service for service in readers for group in groups if f"-{service}-" in group} == readers

    await _every_reader_carries_on(system, http)


async def _every_reader_carries_on(system, http) -> None:
    intake, referral_url, notification = (system.urls[s] for s in ("intake", "referral", "notification"))
    child = {"division_code": "140724104", "id_number": "140724201406150019"}

    async def report_status(report_id: str, state: str, with_deadline: bool = False) -> dict | None:
        status = (await http.get(f"{intake}/v1/reports/{report_id}")).json()["status"]
        return status if status["state"] == state and (status["next_deadline_stage"] or not with_deadline) else None

    # ReportReceived → referral; ReferralAssigned → intake and notification; DeadlineScheduled → intake
    first = (await http.post(f"{intake}/v1/reports", json=report_body(child=child))).json()["report_id"]
    referral, deadlines = await follow(http, system, first)
    assert len(deadlines) == 4
    await eventually(
        lambda: report_status(first, "routed", with_deadline=True), 60, "intake's record of the routing and deadline"
    )

    # ReportLinked → intake
    again = (await http.post(f"{intake}/v1/reports", json=report_body(child=child))).json()["report_id"]
    await eventually(lambda: report_status(again, "linked"), 60, "intake's record of the link")

    # ReferralUnrouted → intake (and notification: see tests/integration/test_unrouted_clocks.py)
    nowhere = report_body(child={"address": "山西省晋中市某村"})
    unrouted = (await http.post(f"{intake}/v1/reports", json=nowhere)).json()["report_id"]
    await eventually(lambda: report_status(unrouted, "unrouted"), 60, "intake's record of the unrouted report")

    # ReferralActionRecorded → notification stops the acknowledgement clock
    station = bearer(Role.STATION, "140724104", "station-140724104")
    acknowledged = await http.post(
        f"{referral_url}/v1/referrals/{referral['referral_id']}/acknowledge", json={}, headers=station
    )
    assert acknowledged.status_code == 200

    async def acknowledgement_done():
        rows = (await http.get(f"{notification}/v1/deadlines", params={"referral_id": referral["referral_id"]})).json()
        return [row for row in rows if row["stage"] == "acknowledge" and row["status"] != "pending"]

    await eventually(acknowledgement_done, 60, "the acknowledgement deadline to stop")

    # StationDirectoryChanged → notification's receivers
    admin = bearer(Role.ADMIN, "", "admin-1")
    entry = (await http.get(f"{referral_url}/v1/stations/140724103", headers=admin)).json()
    fields = {k: entry[k] for k in ("kind", "name", "county_code", "contact_name", "phone", "sms_phone", "webhook_url")}
    changed = await http.put(
        f"{referral_url}/v1/stations/140724103", json=fields | {"email": "poison-check@demo.invalid"}, headers=admin
    )
    assert changed.status_code in (200, 201)

    async def receiver_updated():
        rows = (
            await http.get(f"{notification}/v1/receivers", params={"code_prefix": "140724103"}, headers=admin)
        ).json()
        return [row for row in rows if row["email"] == "poison-check@demo.invalid"]

    await eventually(receiver_updated, 60, "notification's receiver to follow the directory")
