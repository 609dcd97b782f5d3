"""Test data with overridable defaults."""

from typing import Any
from uuid import uuid4

from shared.domain.codes import AssigneeKind, Concern, Priority
from shared.events import ReferralAssigned, ReportedChild, ReportReceived, utcnow

VALID_CHILD_ID = "140724201503150029"  # born 2015-03-15, check digit correct

# A mandatory reporter who did not consent to share who they are: their identity must reach no station,
# no Kafka topic and no log (the privacy sweep looks for it after the whole run).
REPORTER_WITHOUT_CONSENT = {
    "name": "周不愿",
    "phone": "13711112222",
    "relation": "teacher",
    "mandatory_reporter": True,
    "institution_type": "school",
    "institution_name": "大寨镇中心小学",
}


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "child": {"division_code": "140724104", "age": 7},
        "concerns": ["neglect"],
        "narrative": "孩子父母外出务工，长期无人照看。",
    }
    body.update(overrides)
    return body


def report_received(division_code: str | None = "140724104", **overrides: Any) -> ReportReceived:
    values: dict[str, Any] = {
        "report_id": uuid4(),
        "received_at": utcnow(),
        "child": ReportedChild(division_code=division_code, age=7),
        "concerns": [Concern.NEGLECT],
        "narrative": "孩子长期无人照看。",
    }
    values.update(overrides)
    return ReportReceived(**values)


def referral_assigned(**overrides: Any) -> ReferralAssigned:
    values: dict[str, Any] = {
        "referral_id": uuid4(),
        "report_id": uuid4(),
        "assignee_code": "140724104",
        "assignee_kind": AssigneeKind.STATION,
        "assignee_name": "大寨镇工作站",
        "priority": Priority.P2,
        "police_required": False,
        "assigned_at": utcnow(),
    }
    values.update(overrides)
    return ReferralAssigned(**values)
