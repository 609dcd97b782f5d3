"""A referral's statuses, the actions recorded on it, the stages whose deadlines run, and which action
completes which stage."""

from enum import StrEnum


class ReferralStatus(StrEnum):
    UNROUTED = "unrouted"  # waiting for the hotline supervisors to dispatch it
    ASSIGNED = "assigned"  # held by a station or centre that has not acknowledged it
    ACKNOWLEDGED = "acknowledged"
    MONITORING = "monitoring"  # guardianship assessed 一般, 较差 or 危险: a helper and follow-up visits
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({ReferralStatus.ASSIGNED, ReferralStatus.ACKNOWLEDGED, ReferralStatus.MONITORING})


class ReferralAction(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    CONTACT_RECORDED = "contact_recorded"
    HOME_VISIT_RECORDED = "home_visit_recorded"
    ASSESSMENT_RECORDED = "assessment_recorded"
    DECLINED = "declined"
    REASSIGNED = "reassigned"
    POLICE_NOTIFIED = "police_notified"
    CLOSED = "closed"
    PRIORITY_CHANGED = "priority_changed"
    PRIORITY_RAISED = "priority_raised"  # by repeat reports
    INFORMATION_COPY_SENT = "information_copy_sent"
    POLICE_FEEDBACK_RECORDED = "police_feedback_recorded"
    REOPENED = "reopened"  # the reporter was not satisfied: the county centre reviews the case
    TASK_HANDED = "task_handed"  # to the child director of the child's village
    HELPER_NAMED = "helper_named"  # 结对帮扶人
    FOLLOW_UP_VISIT_RECORDED = "follow_up_visit_recorded"
    MONITORING_ENDED = "monitoring_ended"  # the child turned 18 or moved away (a new 良好 assessment ends it too)
    GUARDIANSHIP_NOT_NEEDED = "guardianship_not_needed"  # the county centre decided against 临时监护
    GUARDIANSHIP_STARTED = "guardianship_started"  # 临时监护 by the county centre
    GUARDIANSHIP_ENDED = "guardianship_ended"


class Stage(StrEnum):
    """The stages of a referral that run against a deadline."""

    DISPATCH = "dispatch"  # the hotline supervisors place an unrouted referral with a station or centre
    ACKNOWLEDGE = "acknowledge"
    FIRST_CONTACT = "first_contact"
    HOME_VISIT = "home_visit"
    ASSESSMENT = "assessment"
    POLICE_NOTICE = "police_notice"  # a police-required case: the police are told
    POLICE_FEEDBACK = "police_feedback"  # the police feed back after being told
    CALLBACK = "callback"  # 回访: the hotline calls the reporter back
    HELPER = "helper"  # a pairing helper (结对帮扶人) is named, for a child under monitoring
    FOLLOW_UP_VISIT = "follow_up_visit"  # the next follow-up visit of a child under monitoring
    GUARDIANSHIP_DECISION = "guardianship_decision"  # the county centre decides on 临时监护 (assessed 危险)


# The stages every referral's holder has a clock for, from its opening.
OPENING_STAGES = (Stage.ACKNOWLEDGE, Stage.FIRST_CONTACT, Stage.HOME_VISIT, Stage.ASSESSMENT)
# The stages whose clocks run for the station or centre that holds the referral, and move with it: the
# opening ones and, for a police-required case, the police's. The callback stays with the hotline.
HOLDER_STAGES = (*OPENING_STAGES, Stage.POLICE_NOTICE, Stage.POLICE_FEEDBACK)
# The stages of a child under monitoring: they run while the referral's status is monitoring, and stop when it
# leaves it. The guardianship decision is the county centre's.
MONITORING_STAGES = (Stage.HELPER, Stage.FOLLOW_UP_VISIT)


# Which stages an action completes. A home visit is also a contact with the child and family. The dispatch
# is completed by the placement itself (ReferralAssigned), not by an action.
COMPLETES: dict[ReferralAction, tuple[Stage, ...]] = {
    ReferralAction.ACKNOWLEDGED: (Stage.ACKNOWLEDGE,),
    ReferralAction.CONTACT_RECORDED: (Stage.FIRST_CONTACT,),
    ReferralAction.HOME_VISIT_RECORDED: (Stage.HOME_VISIT, Stage.FIRST_CONTACT),
    ReferralAction.ASSESSMENT_RECORDED: (Stage.ASSESSMENT,),
    ReferralAction.POLICE_NOTIFIED: (Stage.POLICE_NOTICE,),
    ReferralAction.POLICE_FEEDBACK_RECORDED: (Stage.POLICE_FEEDBACK,),
    ReferralAction.HELPER_NAMED: (Stage.HELPER,),
    ReferralAction.FOLLOW_UP_VISIT_RECORDED: (Stage.FOLLOW_UP_VISIT,),  # and the next visit's clock starts
    ReferralAction.GUARDIANSHIP_STARTED: (Stage.GUARDIANSHIP_DECISION,),
    ReferralAction.GUARDIANSHIP_NOT_NEEDED: (Stage.GUARDIANSHIP_DECISION,),
}
