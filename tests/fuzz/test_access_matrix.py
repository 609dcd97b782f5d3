"""Every endpoint × role × scope, over HTTP against the running services: no token 401, a role that may not
do it 403, a scope that does not fit the directory 403, a case outside the caller's area 404 (or left out of a
list), bad tokens refused. The matrix must name every operation the services' OpenAPI documents list, so a new
endpoint cannot go untried."""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

import httpx
import jwt
import pytest

from shared.auth.tokens import ISSUER, issue_token
from shared.domain.access import Role
from tests.auth import JWT_SECRET, bearer
from tests.e2e.system import SERVICES
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

TOWNSHIP, OTHER_TOWNSHIP = "140724104", "140725103"  # 昔阳县大寨镇, 寿阳县平头镇

CALLERS: dict[str, dict[str, str]] = {
    "no token": {},
    "operator": bearer(Role.OPERATOR, "1407", "operator-1"),  # a hotline centre of 晋中市
    "other operator": bearer(Role.OPERATOR, "4420", "operator-b"),  # one of 中山市
    "station": bearer(Role.STATION, TOWNSHIP, "station-a"),
    "other station": bearer(Role.STATION, OTHER_TOWNSHIP, "station-b"),
    "centre": bearer(Role.COUNTY_CENTRE, "140724", "centre-a"),
    "other centre": bearer(Role.COUNTY_CENTRE, "140725", "centre-b"),
    "committee": bearer(Role.COMMITTEE, "1407", "committee-a"),
    "other committee": bearer(Role.COMMITTEE, "4420", "committee-b"),
    "admin": bearer(Role.ADMIN, "", "admin-1"),
    "village": bearer(Role.VILLAGE, "140724104200", "village-a"),  # 大寨村's child director, handed no task
    "other village": bearer(Role.VILLAGE, "442000118001", "village-b"),  # one of 小榄镇
}
VILLAGES = ("village", "other village")
# A village's child director sees only the cases handed to its village: none here.
OUTSIDE = ("other station", "other centre", "other committee", "other operator", *VILLAGES)
OPERATORS = ("operator", "other operator")
UNKNOWN = "00000000-0000-4000-8000-000000000000"

# 2xx; 200 with the case in the list; 200 with []; past the door (2xx, 409 or 422)
OK, FOUND, EMPTY, LET_IN = "ok", "found", "empty", "let in"


@dataclass
class Case:
    report_id: str
    referral_id: str


@dataclass(frozen=True)
class Probe:
    service: str
    method: str
    template: str
    request: Callable[[Case], tuple[str, dict, dict | None]]  # path, query, body
    expected: dict[str, str | int]
    changes_the_case: bool = False  # each caller it lets in acts on a case of its own


def rule(default: str | int, **named: str | int) -> dict[str, str | int]:
    """The expected answer for each caller: `default`, except those named (spaces as underscores)."""
    expected = {caller: default for caller in CALLERS} | {"no token": 401}
    return expected | {name.replace("_", " "): answer for name, answer in named.items()}


def seen_in_area(inside: str | int = OK, outside: str | int = 404) -> dict[str, str | int]:
    return rule(inside) | dict.fromkeys(OUTSIDE, outside)


def only(*callers: str, answer: str | int = OK) -> dict[str, str | int]:
    return rule(403) | dict.fromkeys(callers, answer)


def public() -> dict[str, str | int]:
    return {caller: OK for caller in CALLERS}


def at(path: str, query: dict | None = None, body: dict | None = None):
    def filled(case: Case) -> tuple[str, dict, dict | None]:
        ids = {"report": case.report_id, "referral": case.referral_id}
        return path.format(**ids), {name: value.format(**ids) for name, value in (query or {}).items()}, body

    return filled


def holder_step(action: str, body: dict, *takers: str) -> Probe:
    """A step on the case: those who may see it but not take it get 403; those outside its area 404."""
    expected = seen_in_area(403) | dict.fromkeys(takers, LET_IN)
    return Probe(
        "referral",
        "POST",
        f"/v1/referrals/{{referral_id}}/{action}",
        at(f"/v1/referrals/{{referral}}/{action}", body=body),
        expected,
        changes_the_case=True,
    )


# The committee's and the centre's figures of a county: theirs to read, nobody else's.
WATCHERS_OF_THE_COUNTY = only("committee", "centre", "admin") | {"other committee": 404, "other centre": 404}

STATION_ENTRY = {"kind": "station", "name": "晋中市昔阳县大寨镇未成年人保护工作站", "county_code": "140724"}
CALENDAR = {"source": "国务院办公厅通知（测试）", "days": []}

PROBES = [
    Probe("intake", "POST", "/v1/reports", at("/v1/reports", body=report_body()), only(*OPERATORS, answer=OK)),
    Probe(
        "intake",
        "POST",
        "/v1/reports/batch",
        at("/v1/reports/batch", body={"reports": [report_body()]}),
        only(*OPERATORS, answer=OK),  # 201, or 207 with the item outside the other operator's area refused
    ),
    Probe("intake", "GET", "/v1/reports", at("/v1/reports"), only(*OPERATORS)),
    Probe("intake", "GET", "/v1/reports/stuck", at("/v1/reports/stuck"), only(*OPERATORS, "admin")),
    Probe(
        "intake",
        "POST",
        "/v1/reports/{report_id}/callback",
        at("/v1/reports/{report}/callback", body={"reached": False}),
        only("operator") | {"other operator": 404},  # the hotline centre that took the report calls back
    ),
    Probe("intake", "GET", "/v1/callbacks/due", at("/v1/callbacks/due"), only(*OPERATORS)),
    # Public: anyone may look a receipt up (a malformed number is refused before the rate limit counts it).
    Probe(
        "intake",
        "POST",
        "/v1/receipts/lookup",
        at("/v1/receipts/lookup", body={"receipt_number": "0", "phone": "13912345678"}),
        dict.fromkeys(CALLERS, LET_IN),
    ),
    Probe(
        "intake",
        "GET",
        "/v1/reports/{report_id}",
        at("/v1/reports/{report}"),
        only("operator", "committee", "admin") | {"other committee": 404, "other operator": 404},
    ),
    Probe(
        "referral", "GET", "/v1/referrals", at("/v1/referrals", {"report_id": "{report}"}), seen_in_area(FOUND, EMPTY)
    ),
    Probe("referral", "GET", "/v1/referrals/{referral_id}", at("/v1/referrals/{referral}"), seen_in_area()),
    Probe("referral", "GET", "/v1/stations/{code}/referrals", at(f"/v1/stations/{TOWNSHIP}/referrals"), seen_in_area()),
    Probe("referral", "GET", "/v1/unrouted", at("/v1/unrouted"), only(*OPERATORS, "admin")),
    Probe(
        "referral",
        "GET",
        "/v1/referrals",
        at("/v1/referrals", {"case_number": "晋中-2026-999999"}),
        rule(EMPTY),
    ),
    Probe(
        "referral", "GET", "/v1/stations/{code}/copies", at(f"/v1/stations/{TOWNSHIP}/copies"), rule(404, station=OK)
    ),
    Probe("referral", "GET", "/v1/codes/outcomes", at("/v1/codes/outcomes"), rule(OK)),
    Probe("referral", "GET", "/v1/codes/police-feedback", at("/v1/codes/police-feedback"), rule(OK)),
    Probe("referral", "GET", "/v1/stations", at("/v1/stations"), rule(OK)),
    Probe("referral", "GET", "/v1/stations/{code}", at(f"/v1/stations/{TOWNSHIP}"), rule(OK)),
    Probe(
        "referral",
        "PUT",
        "/v1/stations/{code}",
        at(f"/v1/stations/{TOWNSHIP}", body=STATION_ENTRY),
        only("admin", answer=LET_IN),
    ),
    Probe("referral", "GET", "/v1/divisions", at("/v1/divisions"), public()),
    Probe(
        "referral", "GET", "/v1/divisions/resolve", at("/v1/divisions/resolve", {"address": "昔阳县大寨镇"}), rule(OK)
    ),
    Probe(
        "referral",
        "GET",
        "/v1/routing-preview",
        at("/v1/routing-preview", {"address": "昔阳县大寨镇"}),
        only(*OPERATORS, "admin"),
    ),
    Probe("referral", "GET", "/v1/divisions/{code}/children", at("/v1/divisions/140724/children"), public()),
    Probe("referral", "GET", "/v1/divisions/{code}/path", at(f"/v1/divisions/{TOWNSHIP}/path"), public()),
    Probe("referral", "GET", "/v1/routing/preview", at("/v1/routing/preview", {"division_code": TOWNSHIP}), public()),
    holder_step("acknowledge", {}, "station"),
    holder_step("contacts", {"method": "phone", "notes": "电话联系监护人"}, "station"),
    holder_step("visits", {"notes": "入户走访"}, "station"),
    holder_step("assessments", {"level": "poor", "notes": "监护能力较差"}, "station"),
    holder_step("police-notifications", {"police_station": "昔阳县公安局大寨派出所"}, "station"),
    holder_step("police-feedback", {"feedback": "case_filed"}, "station"),
    holder_step("decline", {"reason": "儿童住在平头镇", "suggested_division_code": OTHER_TOWNSHIP}, "station"),
    holder_step("reassign", {"division_code": OTHER_TOWNSHIP, "reason": "住址核实"}, "centre"),
    holder_step("priority", {"priority": "P1", "reason": "情况紧急"}, "centre"),
    holder_step("close", {"outcome": "services_arranged", "notes": "已链接帮扶"}, "station"),
    holder_step("helpers", {"name": "王芳", "phone": "13800000000"}, "station"),
    holder_step("follow-up-visits", {"notes": "随访"}, "station"),
    holder_step("monitoring-end", {"reason": "turned_18"}, "station"),
    holder_step("guardianship", {"placement": "昔阳县儿童福利院", "reason": "父母均被羁押"}, "centre"),
    holder_step("guardianship/not-needed", {"reason": "亲属可照料"}, "centre"),
    holder_step("guardianship/end", {"reason": "亲属接回"}, "centre"),
    holder_step("tasks", {"kind": "contact", "village_code": "140724104200"}, "station"),
    Probe("referral", "GET", "/v1/tasks", at("/v1/tasks"), only(*VILLAGES, answer=EMPTY)),  # handed none yet
    Probe(
        "referral",
        "GET",
        "/v1/village-directors",
        at("/v1/village-directors"),
        only("admin", "station", "other station"),
    ),
    Probe(
        "referral",
        "PUT",
        "/v1/village-directors/{village_code}",
        at("/v1/village-directors/140724104200", body={"name": "贾玉兰", "phone": "13934401200"}),
        only("admin", answer=LET_IN),
    ),
    Probe(
        "referral",
        "DELETE",
        "/v1/village-directors/{village_code}",
        at("/v1/village-directors/140724104205"),  # 厚庄村, which has no director
        only("admin", answer=404),
    ),
    Probe(
        "notification",
        "GET",
        "/v1/deadlines",
        at("/v1/deadlines", {"referral_id": "{referral}"}),
        # the hotline's own clocks of the case (its callback) are every operator's, as its unrouted queue is
        seen_in_area(FOUND, EMPTY) | {"other operator": FOUND},
    ),
    Probe(
        "notification",
        "GET",
        "/v1/overdue",
        at("/v1/overdue", {"area": "140724"}),
        rule(OK, other_centre=404, other_committee=404, other_operator=404),
    ),
    Probe(
        "notification",
        "GET",
        "/v1/notifications",
        at("/v1/notifications", {"referral_id": "{referral}"}),
        seen_in_area(FOUND, EMPTY),
    ),
    Probe(
        "notification",
        "PUT",
        "/v1/committees/{area}",
        at(
            "/v1/committees/1407", body={"name": "晋中市未成年人保护工作委员会", "email": "committee-1407@demo.invalid"}
        ),
        only("admin", answer=LET_IN),
    ),
    Probe(
        "notification",
        "PUT",
        "/v1/hotline",
        at("/v1/hotline", body={"name": "12345热线值班长", "email": "hotline-lead@demo.invalid"}),
        only("admin", answer=LET_IN),
    ),
    Probe("notification", "GET", "/v1/hotline/deadlines", at("/v1/hotline/deadlines"), only(*OPERATORS, "admin")),
    Probe(
        "notification",
        "PUT",
        "/v1/platform-clients/{client}",
        at("/v1/platform-clients/jz12345", body={"name": "晋中12345平台", "email": "platform@demo.invalid"}),
        only("admin", answer=LET_IN),
    ),
    # No deadline or request has this id: refused as unknown to every caller with a token.
    Probe(
        "notification",
        "POST",
        "/v1/deadlines/{deadline_id}/extensions",
        at(f"/v1/deadlines/{UNKNOWN}/extensions", body={"reason": "等候返乡", "requested_until": "2031-01-01T00:00"}),
        rule(404),
    ),
    Probe(
        "notification",
        "POST",
        "/v1/deadlines/{deadline_id}/supervision",
        at(f"/v1/deadlines/{UNKNOWN}/supervision", body={"note": "请尽快办理"}),
        rule(404),
    ),
    Probe(
        "notification",
        "POST",
        "/v1/extensions/{extension_id}/{decision}",
        at(f"/v1/extensions/{UNKNOWN}/approve"),
        rule(404),
    ),
    Probe("notification", "GET", "/v1/extensions", at("/v1/extensions"), only("centre", "other centre", "admin")),
    Probe("notification", "GET", "/v1/receivers", at("/v1/receivers"), only("admin")),
    Probe("notification", "GET", "/v1/dead-letters", at("/v1/dead-letters"), only(*OPERATORS, "admin")),
    Probe(
        "notification",
        "POST",
        "/v1/notifications/{notification_id}/resend",
        at(f"/v1/notifications/{UNKNOWN}/resend"),
        only("admin", answer=404),  # no notification has this id
    ),
    Probe("notification", "GET", "/v1/policy", at("/v1/policy"), rule(OK)),
    Probe("notification", "GET", "/v1/policy/{version}", at("/v1/policy/1"), rule(OK)),
    Probe("notification", "PUT", "/v1/policy", at("/v1/policy", body={}), only("admin", answer=LET_IN)),
    Probe("notification", "GET", "/v1/calendar/{year}", at("/v1/calendar/2031"), rule(OK)),
    Probe(
        "notification",
        "PUT",
        "/v1/calendar/{year}",
        at("/v1/calendar/2031", body=CALENDAR),
        only("admin", answer=LET_IN),
    ),
    Probe("referral", "GET", "/v1/dashboard", at("/v1/dashboard", {"area": "140724"}), WATCHERS_OF_THE_COUNTY),
    Probe("referral", "GET", "/v1/dashboard.csv", at("/v1/dashboard.csv", {"area": "140724"}), WATCHERS_OF_THE_COUNTY),
    Probe(
        "referral", "GET", "/v1/dashboard.xlsx", at("/v1/dashboard.xlsx", {"area": "140724"}), WATCHERS_OF_THE_COUNTY
    ),
    Probe("referral", "GET", "/v1/counties/{county}/load", at("/v1/counties/140724/load"), WATCHERS_OF_THE_COUNTY),
    Probe("notification", "GET", "/v1/on-time", at("/v1/on-time", {"area": "140724"}), WATCHERS_OF_THE_COUNTY),
    Probe(
        "intake",
        "GET",
        "/v1/reports/stuck/count",
        at("/v1/reports/stuck/count", {"area": "140724"}),
        WATCHERS_OF_THE_COUNTY,
    ),
    Probe(
        "notification",
        "GET",
        "/v1/stage-performance",
        at("/v1/stage-performance", {"area": "140724"}),
        WATCHERS_OF_THE_COUNTY,
    ),
    Probe(
        "notification",
        "GET",
        "/v1/stations/{code}/deadlines",
        at(f"/v1/stations/{TOWNSHIP}/deadlines"),
        seen_in_area(),
    ),
    Probe("intake", "GET", "/v1/audit", at("/v1/audit", {"case_id": "{report}"}), only("admin")),
    Probe("referral", "GET", "/v1/audit", at("/v1/audit", {"case_id": "{referral}"}), only("admin")),
    Probe("notification", "GET", "/v1/audit", at("/v1/audit", {"case_id": "{referral}"}), only("admin")),
    *(
        Probe(service, "GET", f"/health/{name}", at(f"/health/{name}"), public())
        for service in SERVICES
        for name in ("live", "ready")
    ),
]


def _known_to_referral_only(probe: Probe) -> Probe:
    """intake and notification know no villages: a child director's token does not fit their directories (403)."""
    if probe.service == "referral" or probe.expected["no token"] != 401:
        return probe
    return replace(probe, expected=probe.expected | dict.fromkeys(VILLAGES, 403))


PROBES = [_known_to_referral_only(probe) for probe in PROBES]


def _verdict(response: httpx.Response, expected: str | int) -> bool:
    status = response.status_code
    if expected == OK:
        return 200 <= status < 300
    if expected == FOUND:
        return status == 200 and response.json() != []
    if expected == EMPTY:
        return status == 200 and response.json() == []
    if expected == LET_IN:
        return 200 <= status < 300 or status in (409, 422)
    return status == expected


async def _open_case(system, http: httpx.AsyncClient) -> Case:
    body = report_body(child={"division_code": TOWNSHIP, "age": 8})
    answer = await http.post(f"{system.urls['intake']}/v1/reports", json=body, headers=CALLERS["operator"])
    referral, _ = await follow(http, system, answer.json()["report_id"])
    return Case(report_id=answer.json()["report_id"], referral_id=referral["referral_id"])


@pytest.fixture(scope="module")
async def http():
    async with httpx.AsyncClient(timeout=30, headers=CALLERS["operator"]) as client:
        yield client


@pytest.fixture(scope="module")
async def case(system, http) -> Case:
    return await _open_case(system, http)


async def _ask(system, http, probe: Probe, case: Case, headers: dict[str, str]) -> httpx.Response:
    path, query, body = probe.request(case)
    return await http.request(
        probe.method,
        f"{system.urls[probe.service]}{path}",
        params=query,
        json=body,
        headers={"Authorization": ""} | headers,
    )


async def test_the_matrix_names_every_operation_the_services_publish(system, http):
    published = set()
    for service in SERVICES:
        document = (await http.get(f"{system.urls[service]}/openapi.json")).json()
        published |= {(service, method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert {(probe.service, probe.method, probe.template) for probe in PROBES} == published


@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: f"{probe.method} {probe.service}{probe.template}")
async def test_each_caller_gets_the_answer_its_role_and_area_allow(system, http, case, probe):
    wrong = []
    for caller, expected in probe.expected.items():
        target = await _open_case(system, http) if probe.changes_the_case and expected == LET_IN else case
        response = await _ask(system, http, probe, target, CALLERS[caller])
        if not _verdict(response, expected):
            wrong.append(f"{caller}: expected {expected}, got {response.status_code} {response.text[:120]}")
    assert not wrong, "\n".join(wrong)


def _claims(**changes: object) -> dict:
    now = int(time.time())
    claims = {"sub": "admin-1", "role": "admin", "scope": "", "iss": ISSUER, "iat": now, "exp": now + 3600}
    return claims | changes


def _tampered() -> str:
    header, payload, signature = issue_token(JWT_SECRET, "admin-1", Role.ADMIN, "", timedelta(hours=1)).split(".")
    return ".".join((header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")))


BAD_TOKENS = {
    "expired": lambda: issue_token(JWT_SECRET, "admin-1", Role.ADMIN, "", timedelta(seconds=-1)),
    "tampered": _tampered,
    "another secret": lambda: jwt.encode(_claims(), "not-the-secret-" * 3, algorithm="HS256"),
    "no signature (alg none)": lambda: jwt.encode(_claims(), None, algorithm="none"),
    "another issuer": lambda: jwt.encode(_claims(iss="someone-else"), JWT_SECRET, algorithm="HS256"),
    "unknown role": lambda: jwt.encode(_claims(role="superuser"), JWT_SECRET, algorithm="HS256"),
    "lasting until the year 9999": lambda: jwt.encode(_claims(exp=253402300799), JWT_SECRET, algorithm="HS256"),
    "scope given as a list": lambda: jwt.encode(_claims(scope=["1407", "4420"]), JWT_SECRET, algorithm="HS256"),
    "no expiry": lambda: jwt.encode({k: v for k, v in _claims().items() if k != "exp"}, JWT_SECRET, algorithm="HS256"),
    "not a token": lambda: "not-a-token",
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
async def test_a_bad_token_is_refused_by_every_endpoint_behind_the_door(system, http, case, kind):
    headers = {"Authorization": f"Bearer {BAD_TOKENS[kind]()}"}
    guarded = [probe for probe in PROBES if probe.expected["no token"] == 401]
    answers = {
        f"{p.method} {p.service}{p.template}": (await _ask(system, http, p, case, headers)).status_code for p in guarded
    }
    # 429 once the run's bad tokens from this address pass the limit: refused either way
    assert guarded and set(answers.values()) <= {401, 429}, answers


# Scopes that do not fit the directory, for each role: empty, too short, too long, someone else's existing code
# (of another kind of unit), and a code of the right length that the directory does not have.
MALFORMED_SCOPES: dict[Role, dict[str, str]] = {
    Role.OPERATOR: {"empty": "", "too short": "1", "too long": "1407241", "someone else's": TOWNSHIP, "unknown": "99"},
    Role.STATION: {
        "empty": "",
        "too short": "14072410",
        "too long": "1407241041",
        "someone else's": "140724",
        "unknown": "140724999",
    },
    Role.COUNTY_CENTRE: {
        "empty": "",
        "too short": "14072",
        "too long": "1407241",
        "someone else's": TOWNSHIP,
        "unknown": "140799",
    },
    Role.COMMITTEE: {"empty": "", "too short": "1", "too long": "1407241", "someone else's": TOWNSHIP, "unknown": "99"},
    Role.ADMIN: {"someone else's": "1407", "a station's": TOWNSHIP},
}
ILL_SCOPED = {
    f"{role.value} {kind} ({scope or 'empty'})": bearer(role, scope, f"{role.value}-ill-scoped")
    for role, scopes in MALFORMED_SCOPES.items()
    for kind, scope in scopes.items()
}


@pytest.mark.parametrize("caller", ILL_SCOPED)
async def test_a_scope_that_does_not_fit_the_directory_is_refused_by_every_endpoint_behind_the_door(
    system, http, case, caller
):
    guarded = [probe for probe in PROBES if probe.expected["no token"] == 401]
    answers = {
        f"{p.method} {p.service}{p.template}": (await _ask(system, http, p, case, ILL_SCOPED[caller])).status_code
        for p in guarded
    }
    assert guarded and set(answers.values()) == {403}, answers
