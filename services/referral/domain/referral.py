"""A referral: one report (and the repeats linked to it) in the hands of a station or centre.

Each action first checks who may take it, and in which status (the rules are in lifecycle), then says
what it changes.
Nothing here reads or writes: the application loads the referral, applies the change and announces it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.referral.domain import closing, monitoring, police, tasks
from services.referral.domain.aftercare import Guardianship, Monitoring
from services.referral.domain.case_codes import Assessment, ContactMethod, Outcome
from services.referral.domain.changes import (
    ActionContext,
    Change,
    Detail,
    DirectorNeeded,
    PlacementReason,
    RoutingNeeded,
    placed,
)
from services.referral.domain.lifecycle import NOT_CLOSED, Takers, check, check_within_the_centres_county, may_see
from services.referral.domain.linking import Linking, link_report
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.resolution import Weighed
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing, Station
from services.referral.domain.triage import Triage
from shared.domain.access import Principal
from shared.domain.codes import AssigneeKind, Concern, Priority
from shared.domain.divisions import DivisionLevel, county_of, township_of
from shared.domain.monitoring import TaskKind
from shared.domain.police import PoliceFeedback
from shared.domain.problems import Conflict, invalid
from shared.domain.referrals import OPEN_STATUSES, ReferralAction, ReferralStatus

DECLINES_BEFORE_THE_CENTRE_DECIDES = 2


@dataclass(frozen=True)
class Referral:
    referral_id: UUID
    report_id: UUID
    status: ReferralStatus
    assignee_code: str | None
    assignee_kind: AssigneeKind | None
    assignee_name: str | None
    priority: Priority
    police_required: bool
    routing_reason: str
    division_code: str | None
    created_at: datetime
    received_at: datetime  # when its first report came in: nothing done about it happened before
    updated_at: datetime
    version: int
    child_key: str | None
    match_method: str | None
    candidates: list[dict[str, str]]
    decline_count: int
    report_count: int
    acknowledged_at: datetime | None
    first_contact_at: datetime | None
    home_visit_at: datetime | None
    assessed_at: datetime | None
    assessment: Assessment | None
    police_notified_at: datetime | None
    closed_at: datetime | None
    outcome: Outcome | None
    copies_to: tuple[str, ...] = ()  # stations sent a copy for information (the household's township)
    case_number: str | None = None  # such as 晋中-2026-000123
    police_station: str | None = None
    police_case_number: str | None = None
    police_feedback: PoliceFeedback | None = None
    police_feedback_at: datetime | None = None
    reopened_at: datetime | None = None
    weighed: tuple[Weighed, ...] = ()  # what the address's names counted for, when it opened unrouted
    # What its case card shows (case_cards): never the child's whole name.
    child_name_masked: str | None = None
    village_name: str | None = None
    concerns: tuple[Concern, ...] = ()
    child_birth_date: date | None = None  # from the first report's ID number or birth date, while kept
    monitoring: Monitoring = Monitoring()
    guardianship: Guardianship = Guardianship()
    open_tasks: tuple[tuple[TaskKind, str], ...] = ()  # (kind, village code) handed to a village, not yet done
    child_division_code: str | None = None  # the first report's: the village a task goes to by default

    def visible_to(self, caller: Principal) -> bool:
        return may_see(caller, self)

    def acknowledge(self, context: ActionContext, notes: str | None = None) -> Change:
        check(context.caller, self, Takers.HOLDER, {ReferralStatus.ASSIGNED})
        fields = {"status": ReferralStatus.ACKNOWLEDGED, "acknowledged_at": context.now}
        return Change(fields, ReferralAction.ACKNOWLEDGED, notes=notes)

    def record_contact(
        self, context: ActionContext, method: ContactMethod, at: datetime | None = None, notes: str | None = None
    ) -> Change:
        done = tasks.step_taken(context.caller, self, TaskKind.CONTACT, {ReferralStatus.ACKNOWLEDGED})
        at = self.happened(at, context)
        detail: Detail = {"method": method.value, "at": at.isoformat()}
        fields = {"first_contact_at": self.first_contact_at or at}
        return Change(fields, ReferralAction.CONTACT_RECORDED, detail, notes, task=done)

    def record_home_visit(self, context: ActionContext, at: datetime | None = None, notes: str | None = None) -> Change:
        done = tasks.step_taken(context.caller, self, TaskKind.HOME_VISIT, {ReferralStatus.ACKNOWLEDGED})
        at = self.happened(at, context)
        # A home visit is also a contact with the child and family.
        fields = {"home_visit_at": self.home_visit_at or at, "first_contact_at": self.first_contact_at or at}
        return Change(fields, ReferralAction.HOME_VISIT_RECORDED, {"at": at.isoformat()}, notes, task=done)

    def hand_task(
        self, context: ActionContext, kind: TaskKind, village_code: str | None = None, notes: str | None = None
    ) -> DirectorNeeded:
        return tasks.handed(self, context, kind, village_code, notes)

    def record_assessment(
        self, context: ActionContext, level: Assessment, at: datetime | None = None, notes: str | None = None
    ) -> Change:
        return monitoring.assessed(self, context, level, at, notes)

    def record_police_notified(
        self, context: ActionContext, notice: police.PoliceNotice, notes: str | None = None
    ) -> Change:
        return police.notified(self, context, notice, notes)

    def record_police_feedback(
        self, context: ActionContext, feedback: PoliceFeedback, at: datetime | None = None, notes: str | None = None
    ) -> Change:
        return police.fed_back(self, context, feedback, at, notes)

    def happened(self, at: datetime | None, context: ActionContext) -> datetime:
        """When a step the station states took place (now, if it does not say): not before the report came
        in. The edge has already refused a time in the future or before 2000."""
        if at is None:
            return context.now
        if at < self.received_at:
            raise invalid("at", "before_received", "不能早于报告接收时间")
        return at

    def decline(self, context: ActionContext, suggested_division_code: str, reason: str) -> RoutingNeeded:
        """The station says the child is not in its township and names the right one. The referral goes
        there, or, once declined often enough, to the county centre, which decides."""
        check(context.caller, self, Takers.HOLDING_STATION, OPEN_STATUSES)
        suggested = township_of(suggested_division_code)
        division = context.gazetteer.by_code.get(suggested) if suggested else None
        if suggested is None or division is None or division.level != DivisionLevel.TOWNSHIP:
            raise invalid("suggested_division_code", "unknown_township", "没有这个乡镇（街道）代码")
        if suggested == self.assignee_code:
            raise invalid("suggested_division_code", "same_township", "不能建议本工作站所在的乡镇（街道）")
        declines = self.decline_count + 1
        centre_decides = declines >= DECLINES_BEFORE_THE_CENTRE_DECIDES
        goes_to = (county_of(self.assignee_code) or "") if centre_decides else suggested

        def then(target: Routing) -> Change:
            detail: Detail = {
                "suggested_division_code": suggested,
                "declines": declines,
                "moved_to": target.assignee_code,
            }
            fields = placed(target) | {"decline_count": declines}
            return Change(fields, ReferralAction.DECLINED, detail, reason, PlacementReason.DECLINED)

        return RoutingNeeded(goes_to, then)

    def reassign(self, context: ActionContext, division_code: str, reason: str) -> RoutingNeeded:
        """A centre moves the referral within its area; the hotline supervisors dispatch an unrouted one."""
        check(context.caller, self, Takers.CENTRE_OR_DISPATCHER, NOT_CLOSED)
        place = resolve(context.gazetteer, None, division_code).place
        if place is None:
            raise invalid("division_code", "unknown_division", "没有这个乡镇（街道）或县区代码")
        check_within_the_centres_county(context.caller, place)
        moved = PlacementReason.DISPATCHED if self.status is ReferralStatus.UNROUTED else PlacementReason.REASSIGNED

        def then(target: Routing) -> Change:
            if target.assignee is None:
                raise invalid("division_code", "no_station", "该区划没有工作站或救助保护中心")
            detail: Detail = {"division_code": place.code, "moved_to": target.assignee.code}
            return Change(placed(target), ReferralAction.REASSIGNED, detail, reason, moved)

        return RoutingNeeded(place.code, then)

    def change_priority(self, context: ActionContext, priority: Priority, reason: str) -> Change:
        check(context.caller, self, Takers.CENTRE, NOT_CLOSED)
        if self.priority == priority:
            raise Conflict("优先级没有变化")
        detail: Detail = {"from": self.priority.value, "to": priority.value}
        return Change({"priority": priority}, ReferralAction.PRIORITY_CHANGED, detail, reason)

    def close(self, context: ActionContext, outcome: Outcome, notes: str | None = None) -> Change:
        return closing.closed(self, context, outcome, notes)

    def reopen(self, centre: Station | None, report_id: UUID, now: datetime) -> Change:
        """After a dissatisfied callback; the system's step, not a caller's."""
        return closing.reopened(self, centre, str(report_id), now)

    def link_report(self, assessed: Triage, reports_in_window: int, repeats: RepeatRule) -> Linking:
        return link_report(self, assessed, reports_in_window, repeats)
