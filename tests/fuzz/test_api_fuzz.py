"""schemathesis against each running service's OpenAPI document: requests generated from the schema, valid
and invalid, must never get a 5xx, and every answer must be one the document declares, in its declared shape.
Driven through hypothesis directly (one run per operation), not schemathesis' pytest plugin."""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shared.domain.access import Role
from tests.auth import bearer
from tests.e2e.system import SERVICES

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
    if path.startswith("/v1/reports"):
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
