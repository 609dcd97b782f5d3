"""schemathesis against each running service's OpenAPI document: requests generated from the schema, valid
and invalid, must never get a 5xx, and every answer must be one the document declares, in its declared shape.
Driven through hypothesis directly (one run per operation), not schemathesis' pytest plugin. Then hostile
values (NUL and control characters, lone surrogates, dates at year 1 and 9999 in the -14:00 and +14:00 zones,
huge numbers) in every path and query parameter and every body property of every operation: never a 5xx."""

import itertools
import time
from collections import Counter
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shared.domain.access import Role
from tests.auth import bearer
from tests.e2e.system import SERVICES
from tests.factories import report_body
from tests.fuzz.hostile import HOSTILE, hostile_request, places

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same cases every run, so that a red run can be repeated
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _caller_for(method: str, path: str) -> dict[str, str]:
    """A caller the operation lets in, so that generated input reaches the validation behind the door."""
    if path.startswith(("/v1/reports", "/v1/callbacks")):
        return bearer(Role.OPERATOR)
    if method.upper() == "POST" and path.startswith("/v1/referrals/"):
        return bearer(Role.COUNTY_CENTRE, "140724", "centre-140724")
    return bearer(Role.ADMIN, "", "admin-1")


def _fuzz(operation) -> Counter:
    """Runs the generated cases of one operation; counts the answers by status."""
    answers: Counter = Counter()

    @FUZZ
    @given(case=operation.as_strategy())
    def calls(case) -> None:
        response = case.call_and_validate(headers=_caller_for(case.method, case.path), checks=CHECKS, timeout=30)
        answers[response.status_code] += 1

    calls()
    return answers


@pytest.mark.parametrize("service", SERVICES)
def test_generated_requests_get_declared_answers_and_never_a_server_error(system, service):
    schema = schemathesis.openapi.from_url(f"{system.urls[service]}/openapi.json")
    failures, answers = [], {}
    for result in schema.get_all_operations():
        operation = result.ok()
        name = f"{operation.method.upper()} {operation.path}"
        try:
            answers[name] = _fuzz(operation)
        except Exception as failure:  # noqa: BLE001 - every operation is tried; all failures are listed
            failures.append(f"{name}: {failure}")
    assert not failures, "\n\n".join(failures)
    print(f"{service}: " + "; ".join(f"{name} {dict(counts)}" for name, counts in answers.items()))
    assert answers and all(sum(counts.values()) > 0 for counts in answers.values())


def _open_case(urls: dict[str, str]) -> dict[str, str]:
    """A report and the referral it opened, so that hostile values reach a case that exists."""
    with httpx.Client(timeout=30) as http:
        body = report_body(child={"division_code": "140724104", "age": 8})
        filed = http.post(f"{urls['intake']}/v1/reports", json=body, headers=bearer(Role.OPERATOR))
        report_id = filed.json()["report_id"]
        deadline = time.monotonic() + 60
        query = {"report_id": report_id}
        while not (
            found := http.get(f"{urls['referral']}/v1/referrals", params=query, headers=bearer(Role.ADMIN)).json()
        ):
            assert time.monotonic() < deadline, "the report was referred"
            time.sleep(0.2)
    return {"report_id": report_id, "referral_id": found[0]["referral_id"]}


def _base_request(operation, urls: dict[str, str]) -> dict[str, Any]:
    """The first valid request schemathesis makes for the operation, on a case of its own where the path names
    one: the hostile values go into it."""
    found = []

    @settings(FUZZ, max_examples=1, phases=[Phase.generate])
    @given(case=operation.as_strategy())
    def first(case) -> None:
        found.append(case)

    first()
    case = found[0]
    path = case.path_parameters or {}
    if {"report_id", "referral_id"} & set(path):
        path |= {name: value for name, value in _open_case(urls).items() if name in path}
    body = case.body if isinstance(case.body, dict | list) else None
    return {"path": path, "query": case.query or {}, "body": body}


def _hostile_callers(method: str, path: str) -> list[dict[str, str]]:
    """The station takes most steps on a referral, its county centre the others: both, so that the values reach
    the rules behind the role check."""
    if method.upper() == "POST" and path.startswith("/v1/referrals/"):
        return [bearer(Role.STATION, "140724104", "station-140724104"), _caller_for(method, path)]
    return [_caller_for(method, path)]


def _hostile_sweep(urls: dict[str, str], service: str) -> tuple[int, list[str]]:
    """Every hostile value in every place of every operation of the service: how many requests, and the 5xx."""
    url = urls[service]
    spec = httpx.get(f"{url}/openapi.json").json()
    failures, sent = [], 0
    with httpx.Client(timeout=30) as client:
        for result in schemathesis.openapi.from_dict(spec).get_all_operations():
            operation = result.ok()
            method, path = operation.method, operation.path
            base = _base_request(operation, urls)
            for place in places(spec["paths"][path][method.lower()], spec):
                for value, caller in itertools.product(HOSTILE, _hostile_callers(method, path)):
                    request = hostile_request(method, path, base, place, value, url)
                    headers = caller | {"content-type": "application/json"}
                    answer = client.request(request.method, request.url, content=request.body, headers=headers)
                    sent += 1
                    if answer.status_code >= 500:
                        failures.append(
                            f"{method.upper()} {path} {place.location} {place.name}={value!r:.40}: "
                            f"{answer.status_code} {answer.text[:200]}"
                        )
    return sent, failures


@pytest.mark.parametrize("service", SERVICES)
def test_hostile_values_in_every_place_never_get_a_server_error(system, service):
    sent, failures = _hostile_sweep(system.urls, service)
    assert not failures, f"{len(failures)} of {sent}:\n" + "\n".join(failures)
    print(f"{service}: {sent} hostile requests, none answered 5xx")
