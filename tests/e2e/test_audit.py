"""Every read and change of a case is recorded (who, what, when), and only an admin reads the record."""

from shared.domain.access import Role
from tests.auth import bearer
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

ADMIN = bearer(Role.ADMIN, "", "admin-audit")
STATION = bearer(Role.STATION, "140724104", "station-audit", name="李梅")
OTHER_STATION = bearer(Role.STATION, "140725103", "station-elsewhere", name="赵强")


async def test_reads_and_changes_of_a_case_are_recorded_for_the_admin(system, http):
    body = report_body(child={"division_code": "140724104", "age": 5})
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    case = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"
    assert (await http.get(case, headers=STATION)).status_code == 200
    assert (await http.post(f"{case}/acknowledge", json={}, headers=STATION)).status_code == 200
    assert (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}")).status_code == 200

    trail = await http.get(
        f"{system.urls['referral']}/v1/audit", params={"case_id": referral["referral_id"]}, headers=ADMIN
    )
    station_entries = [
        (e["action"], e["role"], e["scope"], e["actor_name"]) for e in trail.json() if e["actor"] == "station-audit"
    ]
    assert station_entries == [
        ("acknowledged", "station", "140724104", "李梅"),
        ("read", "station", "140724104", "李梅"),
    ]
    assert any(entry["action"] == "list" and entry["target"] == f"report:{report_id}" for entry in trail.json())
    history = (await http.get(case, headers=STATION)).json()["history"]
    assert [entry["detail"].get("by") for entry in history if entry["action"] == "acknowledged"] == ["李梅"]

    reads = await http.get(f"{system.urls['intake']}/v1/audit", params={"case_id": report_id}, headers=ADMIN)
    assert [(e["action"], e["actor"]) for e in reads.json()] == [("read", "operator-1")]

    refused = await http.get(f"{system.urls['referral']}/v1/audit", headers=STATION)
    assert refused.status_code == 403


async def test_refused_reads_and_notifications_reads_are_recorded_with_the_person(system, http):
    body = report_body(child={"division_code": "140724104", "age": 9})
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    case = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"
    assert (await http.get(case, headers=OTHER_STATION)).status_code == 404
    assert (await http.get(f"{system.urls['intake']}/v1/audit", headers=OTHER_STATION)).status_code == 403

    trail = (
        await http.get(f"{system.urls['referral']}/v1/audit", params={"actor": "station-elsewhere"}, headers=ADMIN)
    ).json()
    assert ("refused_404", "赵强", f"GET /v1/referrals/{referral['referral_id']}") in {
        (e["action"], e["actor_name"], e["target"]) for e in trail
    }
    refusals = (
        await http.get(f"{system.urls['intake']}/v1/audit", params={"actor": "station-elsewhere"}, headers=ADMIN)
    ).json()
    assert [(e["action"], e["target"]) for e in refusals] == [("refused_403", "GET /v1/audit")]

    notification = system.urls["notification"]
    clocks = await http.get(
        f"{notification}/v1/deadlines", params={"referral_id": referral["referral_id"]}, headers=STATION
    )
    assert clocks.status_code == 200
    reads = (
        await http.get(f"{notification}/v1/audit", params={"case_id": referral["referral_id"]}, headers=ADMIN)
    ).json()
    assert ("list", "station-audit", "李梅") in {(e["action"], e["actor"], e["actor_name"]) for e in reads}
