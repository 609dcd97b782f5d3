"""Bodies of the station and centre actions, each with the Referral method it calls. Notes are free text
kept in the history, never in events."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.referral.domain import guardianship, monitoring
from services.referral.domain.case_codes import Assessment, ContactMethod, Outcome
from services.referral.domain.changes import ActionContext, Change, DirectorNeeded, RoutingNeeded
from services.referral.domain.police import PoliceNotice
from services.referral.domain.referral import Referral
from shared.contacts import PersonName, Phone
from shared.domain.codes import Priority
from shared.domain.moments import PastMoment
from shared.domain.monitoring import MonitoringEnd, TaskKind
from shared.domain.police import PoliceFeedback

Notes = Field(default=None, max_length=2000)
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
# Why a referral moves or changes priority, in words: two characters at least, white space not counting.
MoveReason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]
# A police case or incident number: letters and digits, with hyphens between (A1407020500002026120001).
POLICE_CASE_NUMBER = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"


class ActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def apply(self, referral: Referral, context: ActionContext) -> Change | RoutingNeeded | DirectorNeeded:
        raise NotImplementedError


class Happened(ActionBody):
    """An action that happened at a time the station states (now, if it does not): China time when it
    gives no zone, not in the future; the referral refuses one before its report came in."""

    at: PastMoment | None = None
    notes: str | None = Notes


class Acknowledge(ActionBody):
    notes: str | None = Notes

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.acknowledge(context, self.notes)


class Contact(Happened):
    method: ContactMethod

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.record_contact(context, self.method, self.at, self.notes)


class HomeVisit(Happened):
    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.record_home_visit(context, self.at, self.notes)


class GuardianshipAssessment(Happened):
    level: Assessment

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.record_assessment(context, self.level, self.at, self.notes)


class PoliceNotified(Happened):
    """When the police were told, which 派出所, and the police's case number once they give one."""

    police_station: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60)]
    police_case_number: str | None = Field(default=None, min_length=4, max_length=40, pattern=POLICE_CASE_NUMBER)

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        notice = PoliceNotice(self.at, self.police_station, self.police_case_number)
        return referral.record_police_notified(context, notice, self.notes)


class PoliceFeedbackGiven(Happened):
    """What the police did; the notes stay in the referral's history."""

    feedback: PoliceFeedback

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.record_police_feedback(context, self.feedback, self.at, self.notes)


class Decline(ActionBody):
    reason: MoveReason
    suggested_division_code: str = Field(pattern=r"^[0-9]{9}([0-9]{3})?$")

    def apply(self, referral: Referral, context: ActionContext) -> RoutingNeeded:
        return referral.decline(context, self.suggested_division_code, self.reason)


class Reassign(ActionBody):
    division_code: str = Field(pattern=r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$")
    reason: MoveReason

    def apply(self, referral: Referral, context: ActionContext) -> RoutingNeeded:
        return referral.reassign(context, self.division_code, self.reason)


class ChangePriority(ActionBody):
    priority: Priority
    reason: MoveReason

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.change_priority(context, self.priority, self.reason)


class Close(ActionBody):
    outcome: Outcome
    notes: str | None = Notes

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return referral.close(context, self.outcome, self.notes)


class HelperNamed(Happened):
    """The pairing helper (结对帮扶人) of a child under monitoring; a second naming replaces the first."""

    name: PersonName
    phone: Phone = None

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        helper = monitoring.Helper(self.name, self.phone, self.at)
        return monitoring.helper_named(referral, context, helper, self.notes)


class FollowUpVisit(Happened):
    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return monitoring.follow_up_visited(referral, context, self.at, self.notes)


class MonitoringEnded(Happened):
    """The child turned 18, or moved away (to the township, or a village in it, of division_code)."""

    reason: Literal[MonitoringEnd.TURNED_18, MonitoringEnd.MOVED_AWAY]
    division_code: str | None = Field(default=None, pattern=r"^[0-9]{9}([0-9]{3})?$")

    def apply(self, referral: Referral, context: ActionContext) -> Change | RoutingNeeded:
        ending = monitoring.Ending(self.reason, self.division_code, self.at)
        return monitoring.ended(referral, context, ending, self.notes)


class GuardianshipStarted(ActionBody):
    placement: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    reason: Reason
    at: PastMoment | None = None

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return guardianship.started(referral, context, guardianship.Placement(self.placement, self.reason, self.at))


class GuardianshipNotNeeded(ActionBody):
    reason: Reason

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return guardianship.not_needed(referral, context, self.reason)


class GuardianshipEnded(ActionBody):
    reason: Reason
    at: PastMoment | None = None

    def apply(self, referral: Referral, context: ActionContext) -> Change:
        return guardianship.ended(referral, context, self.at, self.reason)


class HandTask(ActionBody):
    """To the child director of a village in the station's township: the child's own village when none is given."""

    kind: TaskKind
    village_code: str | None = Field(default=None, pattern=r"^[0-9]{12}$")
    notes: str | None = Notes

    def apply(self, referral: Referral, context: ActionContext) -> DirectorNeeded:
        return referral.hand_task(context, self.kind, self.village_code, self.notes)
