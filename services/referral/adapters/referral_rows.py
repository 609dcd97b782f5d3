"""How a referral is read from PostgreSQL: its columns, with its holder's kind and name and the stations
holding a copy, and the row made into the domain's Referral."""

import json
from datetime import date

import asyncpg

from services.referral.domain.aftercare import GUARDIANSHIP_COLUMNS, MONITORING_COLUMNS, Guardianship, Monitoring
from services.referral.domain.case_cards import case_card
from services.referral.domain.case_codes import Assessment, Outcome
from services.referral.domain.referral import Referral
from services.referral.domain.resolution import Weighed, Weight
from shared.domain.ages import AgeFacts, birth_date_of
from shared.domain.codes import AssigneeKind, Priority
from shared.domain.monitoring import MonitoringEnd, TaskKind
from shared.domain.police import PoliceFeedback
from shared.domain.referrals import ReferralStatus

# The case card's: from the first report, the child's name and the village its division code names (when the
# referral is still in that village's township); the township's name; the concerns of all its reports.
CARD_COLUMNS = (
    "(SELECT rr.report->'child'->>'name' FROM referral_reports rr WHERE rr.report_id = r.report_id) AS child_name, "
    "(SELECT v.name FROM referral_reports rr JOIN divisions v ON v.code = rr.report->'child'->>'division_code' "
    "AND v.level = 'village' AND v.parent_code = r.division_code WHERE rr.report_id = r.report_id) AS village, "
    "(SELECT t.name FROM divisions t WHERE t.code = r.division_code AND t.level = 'township') AS township, "
    "ARRAY(SELECT DISTINCT jsonb_array_elements_text(rr.report->'concerns') FROM referral_reports rr "
    "WHERE rr.referral_id = r.referral_id) AS report_concerns"
)
# The child's birth data from the first report (gone once it is anonymised), and after the assessment.
AFTERCARE_COLUMNS = ", ".join(
    [
        "(SELECT jsonb_build_array(rr.report->'child'->>'id_number', rr.report->'child'->>'birth_date') "
        "FROM referral_reports rr WHERE rr.report_id = r.report_id) AS child_birth",
        *(f"r.{column}" for column in MONITORING_COLUMNS + GUARDIANSHIP_COLUMNS),
    ]
)
# The tasks handed to villages and not yet done, as "kind village_code" (a task whose director has left counts no
# more: the station may hand it again); the first report's division code.
TASK_COLUMNS = (
    "ARRAY(SELECT t.kind || ' ' || t.village_code FROM referral_tasks t WHERE t.referral_id = r.referral_id "
    "AND t.closed_at IS NULL AND EXISTS (SELECT 1 FROM village_directors d WHERE d.village_code = t.village_code "
    "AND d.active) ORDER BY t.handed_at) AS open_tasks, "
    "(SELECT rr.report->'child'->>'division_code' FROM referral_reports rr WHERE rr.report_id = r.report_id) "
    "AS child_division_code"
)
REFERRAL_COLUMNS = (
    "r.referral_id, r.report_id, r.status, r.assignee_code, "
    "s.kind AS assignee_kind, s.name AS assignee_name, r.priority, r.police_required, "
    "r.routing_reason, r.division_code, r.created_at, r.received_at, r.updated_at, r.version, r.child_key, "
    "r.match_method, r.candidates, r.decline_count, r.report_count, r.acknowledged_at, r.first_contact_at, "
    "r.home_visit_at, r.assessed_at, r.assessment, r.police_notified_at, r.closed_at, r.outcome, "
    "r.case_number, r.police_station, r.police_case_number, r.police_feedback, r.police_feedback_at, r.reopened_at, "
    "r.weighed, "
    "ARRAY(SELECT c.station_code FROM referral_copies c WHERE c.referral_id = r.referral_id) AS copies_to, "
    f"{CARD_COLUMNS}, {AFTERCARE_COLUMNS}, {TASK_COLUMNS}"
)
SELECT_REFERRALS = f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code"


def referral_from(row: asyncpg.Record) -> Referral:
    values = dict(row)
    card = case_card(*(values.pop(name) for name in ("child_name", "village", "township", "report_concerns")))
    monitoring = {column: values.pop(column) for column in MONITORING_COLUMNS}
    guardianship = Guardianship(**{column: values.pop(column) for column in GUARDIANSHIP_COLUMNS})
    ended = _maybe(MonitoringEnd, monitoring.pop("monitoring_end_reason"))
    born = _born(decoded(values.pop("child_birth")))
    return Referral(
        **values
        | vars(card)
        | {
            "status": ReferralStatus(values["status"]),
            "assignee_kind": _maybe(AssigneeKind, values["assignee_kind"]),
            "priority": Priority(values["priority"]),
            "candidates": decoded(values["candidates"]),
            "assessment": _maybe(Assessment, values["assessment"]),
            "outcome": _maybe(Outcome, values["outcome"]),
            "police_feedback": _maybe(PoliceFeedback, values["police_feedback"]),
            "copies_to": tuple(values["copies_to"]),
            "weighed": weighed_from(values["weighed"]),
            "open_tasks": tuple((TaskKind(kind), village) for kind, village in map(str.split, values["open_tasks"])),
            "child_birth_date": born,
            "monitoring": Monitoring(**monitoring, monitoring_end_reason=ended),
            "guardianship": guardianship,
        }
    )


def decoded(value: object) -> object:
    """A jsonb value as Python (asyncpg hands it over as text)."""
    return json.loads(value) if isinstance(value, str) else value


def weighed_json(weighed: tuple[Weighed, ...]) -> str:
    return json.dumps(
        [{"text": w.text, "weight": w.weight, "codes": list(w.codes)} for w in weighed], ensure_ascii=False
    )


def weighed_from(value: object) -> tuple[Weighed, ...]:
    rows = decoded(value) or []
    return tuple(Weighed(row["text"], Weight(row["weight"]), tuple(row["codes"])) for row in rows)


def _born(facts: object) -> date | None:
    id_number, birth_date = facts if isinstance(facts, list) else (None, None)
    try:
        given = date.fromisoformat(birth_date) if birth_date else None
    except ValueError:
        given = None
    return birth_date_of(AgeFacts(id_number=id_number, birth_date=given))


def _maybe(code: type, value: str | None) -> object:
    return code(value) if value is not None else None
