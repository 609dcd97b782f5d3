"""The operator's routing preview, the resolver's evidence on the supervisors' queue, and triage by the age an
ID number gives, across the running services (real Kafka and PostgreSQL)."""

from datetime import date, timedelta

import httpx
import pytest

from shared.domain.access import Role
from shared.identifiers import id_check_character
from tests.auth import bearer
from tests.e2e.test_thin_path import follow
from tests.factories import report_body
from tests.waiting import eventually

JIEXIU_BEIGUAN = "140781001"  # 山西省 / 晋中市 / 介休市 / 北关街道


def id_number_born(birth: date) -> str:
    first_17 = f"140724{birth:%Y%m%d}002"
    return first_17 + id_check_character(first_17)


async def test_the_preview_names_the_station_the_centre_or_the_candidates(system, http):
    url = f"{system.urls['referral']}/v1/routing-preview"
    station = (await http.get(url, params={"address": "山西省昔阳县洪水村"})).json()
    assert (station["destination"], station["assignee_name"], station["matched_by_label"]) == (
        "station",
        "晋中市昔阳县大寨镇未成年人保护工作站",
        "按村名匹配（县乡名限定）",
    )
    centre = (await http.get(url, params={"address": "寿阳县城区"})).json()
    assert (centre["destination"], centre["place"]["path"]) == ("county_centre", "山西省 / 晋中市 / 寿阳县")
    ambiguous = (await http.get(url, params={"address": "晋中市北关街道"})).json()
    assert ambiguous["destination"] == "candidates"
    assert {"code": JIEXIU_BEIGUAN, "level": "township", "path": "山西省 / 晋中市 / 介休市 / 北关街道"} in (
        ambiguous["candidates"]
    )
    picked = (await http.get(url, params={"address": "晋中市北关街道", "division_code": JIEXIU_BEIGUAN})).json()
    assert (picked["destination"], picked["assignee_name"]) == ("station", "晋中市介休市北关街道未成年人保护工作站")


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), (bearer(Role.STATION, "140724104", "station-a"), 403), (bearer(Role.ADMIN, "", "admin-1"), 200)],
    ids=["no token", "station", "admin"],
)
async def test_only_operators_and_admins_may_preview(system, headers, status):
    async with httpx.AsyncClient(timeout=10, headers=headers) as client:
        response = await client.get(f"{system.urls['referral']}/v1/routing-preview", params={"address": "昔阳县"})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "address"), ({"division_code": "14072"}, "division_code"), ({"division_code": "999999"}, "division_code")],
    ids=["nothing", "malformed code", "unknown code"],
)
async def test_a_bad_preview_question_names_the_parameter(system, http, params, field):
    response = await http.get(f"{system.urls['referral']}/v1/routing-preview", params=params)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_the_operator_page_may_send_its_token_across_origins(system, http):
    intake = system.urls["intake"]
    response = await http.options(
        f"{system.urls['referral']}/v1/routing-preview",
        headers={
            "Origin": intake,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == intake
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    elsewhere = await http.options(
        f"{system.urls['referral']}/v1/routing-preview",
        headers={"Origin": "http://elsewhere.invalid", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in elsewhere.headers


async def test_the_supervisors_see_what_an_unrouted_address_weighed(system, http):
    body = report_body(child={"address": "晋中市北关街道"}, concerns=["neglect"])
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    assert referral["status"] == "unrouted"

    async def queued():
        response = await http.get(f"{system.urls['referral']}/v1/unrouted")
        return [entry for entry in response.json() if entry["referral_id"] == referral["referral_id"]]

    [entry] = await eventually(queued, 30, "the unrouted referral")
    assert [(w["text"], w["weight"], w["label"]) for w in entry["weighed"]] == [
        ("晋中市", "name", "地名"),
        ("北关街道", "name", "地名"),
    ]
    assert JIEXIU_BEIGUAN in [candidate["code"] for candidate in entry["candidates"]]
    assert (entry["match_method"], entry["matched_by_label"]) == (None, None)


async def test_a_three_year_old_given_only_by_id_number_with_guardian_abuse_is_p1(system, http):
    three_years_ago = date.today() - timedelta(days=3 * 365 + 30)
    child = {"division_code": "140724104", "id_number": id_number_born(three_years_ago)}
    body = report_body(child=child, concerns=["guardian_abuse"])
    response = await http.post(f"{system.urls['intake']}/v1/reports", json=body)
    assert response.status_code == 201, response.text

    referral, deadlines = await follow(http, system, response.json()["report_id"])
    assert (referral["priority"], referral["status"]) == ("P1", "assigned")
    acknowledge = deadlines[0]
    assert acknowledge["stage"] == "acknowledge"
    assert acknowledge["priority"] == "P1"
