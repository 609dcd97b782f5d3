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


async def test_a_consenting_reporter_is_shown_to_the_holder_and_the_centre_that_took_the_call_only(system, http):
    # another person: the privacy sweep looks for the non-consenting reporter on every topic after the run
    reporter = REPORTER_WITHOUT_CONSENT | {"name": "郑愿意", "phone": "13711113333", "consents_to_share_identity": True}
    body = report_body(child=CHILD | {"name": "郑小雨"}, reporter=reporter)  # another child: a case of its own
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    name = reporter["name"]
    case = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"

    station = await http.get(case, headers=bearer(Role.STATION, "140724104", "station-1"))
    [filed] = [report for report in station.json()["reports"] if report["report_id"] == report_id]
    assert filed["reporter_identity"]["name"] == name
    for viewer in (bearer(Role.COMMITTEE, "1407", "committee-1"), bearer(Role.ADMIN, "", "admin-1")):
        assert name not in (await http.get(case, headers=viewer)).text
        assert name not in (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}", headers=viewer)).text

    other_centre = bearer(Role.OPERATOR, "4420", "operator-zhongshan")
    assert (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}", headers=other_centre)).status_code == 404
    took_it = (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}")).json()
    assert took_it["reporter"]["name"] == name
