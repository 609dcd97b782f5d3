"""Every read and change of a case is recorded (who, what, when), and only an admin reads the record."""

from shared.domain.access import Role
from tests.auth import bearer
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

ADMIN = bearer(Role.ADMIN, "", "admin-audit")
STATION = bearer(Role.STATION, "140724104", "station-audit")


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
    station_entries = [(e["action"], e["role"], e["scope"]) for e in trail.json() if e["actor"] == "station-audit"]
    assert station_entries == [("acknowledged", "station", "140724104"), ("read", "station", "140724104")]
    assert any(entry["action"] == "list" and entry["target"] == f"report:{report_id}" for entry in trail.json())

    reads = await http.get(f"{system.urls['intake']}/v1/audit", params={"case_id": report_id}, headers=ADMIN)
    assert [(e["action"], e["actor"]) for e in reads.json()] == [("read", "operator-1")]

    refused = await http.get(f"{system.urls['referral']}/v1/audit", headers=STATION)
    assert refused.status_code == 403
