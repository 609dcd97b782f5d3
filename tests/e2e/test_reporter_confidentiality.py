"""A mandatory reporter who did not consent stays unknown to the station, the county centre and the
committee; the hotline operator who took the call still sees who it was."""

from shared.domain.access import Role
from tests.auth import bearer
from tests.e2e.test_thin_path import follow
from tests.factories import REPORTER_WITHOUT_CONSENT, report_body

CHILD = {"division_code": "140724104", "name": "吴小雨", "age": 9}


async def test_a_reporter_without_consent_is_shown_to_nobody_but_the_hotline(system, http):
    body = report_body(child=CHILD, reporter=REPORTER_WITHOUT_CONSENT)
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    identity = (REPORTER_WITHOUT_CONSENT["name"], REPORTER_WITHOUT_CONSENT["phone"], "大寨镇中心小学")

    viewers = {
        "station": bearer(Role.STATION, "140724104", "station-1"),
        "centre": bearer(Role.COUNTY_CENTRE, "140724", "centre-1"),
        "committee": bearer(Role.COMMITTEE, "1407", "committee-1"),
    }
    for viewer, headers in viewers.items():
        response = await http.get(f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}", headers=headers)
        assert response.status_code == 200, viewer
        [case_report] = response.json()["reports"]
        assert case_report["reporter_identity"] is None, viewer
        assert case_report["mandatory_report"] is True and case_report["institution_type"] == "school", viewer
        assert not any(secret in response.text for secret in identity), viewer

    committee = await http.get(f"{system.urls['intake']}/v1/reports/{report_id}", headers=viewers["committee"])
    assert not any(secret in committee.text for secret in (*identity, "吴小雨"))

    operator = (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}")).json()
    assert operator["reporter"]["name"] == REPORTER_WITHOUT_CONSENT["name"]
