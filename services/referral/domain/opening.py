"""Opening a referral for a received report: where the child is, who the child is, how urgent it is,
and the referral that follows from them."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from services.referral.domain.case_numbers import HOTLINE_AREA, case_year
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.resolution import Outcome, Resolution, Weighed
from services.referral.domain.routing import Routing, Station
from services.referral.domain.triage import Triage, raised
from shared.domain.codes import Priority
from shared.domain.divisions import common_area, county_of, township_of
from shared.domain.referrals import ReferralStatus
from shared.events import ReportReceived


@dataclass(frozen=True)
class Incoming:
    """A received report with what is worked out before the database is touched."""

    report: ReportReceived
    where: Resolution
    key: str | None  # the child's identity; None when the report says too little to tell
    assessed: Triage
    area: str = HOTLINE_AREA  # whose sequence its case number is taken from

    @property
    def numbered_in(self) -> tuple[str, int]:
        """The area and year of its case number, should it open a referral."""
        return self.area, case_year(self.report.received_at)

    @property
    def names_a_household(self) -> bool:
        """Whether the report names where the child's household is registered (its station may get a copy)."""
        child = self.report.child
        return bool(child.hukou_address or child.hukou_division_code)

    @property
    def covering_code(self) -> str | None:
        """The division whose station or centre may take the report."""
        where = self.where
        return where.place.code if where.place and where.outcome in (Outcome.TOWNSHIP, Outcome.COUNTY) else None


@dataclass(frozen=True)
class NewReferral:
    referral_id: UUID
    report_id: UUID
    status: ReferralStatus
    assignee_code: str | None
    priority: Priority
    police_required: bool
    routing_reason: str
    division_code: str | None
    created_at: datetime
    received_at: datetime  # when the first report came in
    child_key: str | None = None
    match_method: str | None = None
    candidates: list[dict[str, str]] = field(default_factory=list)
    case_number: str | None = None
    weighed: tuple[Weighed, ...] = ()  # kept when it opens unrouted or with candidates, for the supervisors


def new_referral(
    item: Incoming,
    routing: Routing,
    earlier_reports: int,
    repeats: RepeatRule,
    now: datetime,
    case_number: str | None = None,
) -> NewReferral:
    """The referral a report opens, placed by its routing; a child with enough reports in the window before
    this one starts one level more urgent."""
    priority = item.assessed.priority
    if repeats.raises(earlier_reports + 1, opening=True):
        priority = raised(priority)
    return NewReferral(
        referral_id=uuid4(),
        report_id=item.report.report_id,
        status=ReferralStatus.ASSIGNED if routing.assignee else ReferralStatus.UNROUTED,
        assignee_code=routing.assignee_code,
        priority=priority,
        police_required=item.assessed.police_required,
        routing_reason=routing.reason,
        division_code=routing.division_code,
        created_at=now,
        received_at=item.report.received_at,
        child_key=item.key,
        match_method=item.where.matched_by,
        candidates=routing.candidate_list(),
        case_number=case_number,
        weighed=item.where.weighed if routing.assignee is None or routing.candidates else (),
    )


def routing_detail(item: Incoming, routing: Routing, assignee_code: str | None, priority: Priority) -> dict:
    """What the history records of where a new referral went, and why."""
    return {
        "assignee_code": assignee_code,
        "reason": routing.reason.value,
        "matched_by": item.where.matched_by,
        "priority": priority.value,
        "candidates": routing.candidate_list(),
    }


def area_code(where: Resolution) -> str | None:
    """The division whose area numbers the case: where the child was placed, or what the candidates share."""
    if where.place is not None:
        return where.place.code
    return common_area([candidate.code for candidate in where.candidates])


def township_of_child(where: Resolution) -> str | None:
    """The township the child was placed in, when the resolver found one."""
    return township_of(where.place.code) if where.outcome is Outcome.TOWNSHIP and where.place else None


HOUSEHOLD_REGISTRATION = "household_registration"  # why a station holds a copy


def household_township(where: Resolution, routing: Routing) -> str | None:
    """The township where the child's household is registered, when the referral went elsewhere."""
    home = township_of_child(where)
    return None if home is None or township_of(routing.division_code) == home else home


def copy_holder(home: str, stations: dict[str, Station], assignee_code: str | None) -> Station | None:
    """The station of the household's township, or else its county's centre, unless it holds the referral."""
    holder = stations.get(home) or stations.get(county_of(home) or "")
    return None if holder is None or holder.code == assignee_code else holder
