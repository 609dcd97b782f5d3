"""Kafka topic names. Each topic carries one event type; its dead letters go to `<topic>.dead-letter`."""

REPORT_RECEIVED = "reports.received.v1"
REFERRAL_ASSIGNED = "referrals.assigned.v1"
REFERRAL_UNROUTED = "referrals.unrouted.v1"
REFERRAL_ACTIONS = "referrals.actions.v1"
REPORT_LINKED = "referrals.linked.v1"
DEADLINE_SCHEDULED = "deadlines.scheduled.v1"
DEADLINE_REMINDER_DUE = "deadlines.reminders.v1"
DEADLINE_BREACHED = "deadlines.breached.v1"
SUPERVISION_ISSUED = "deadlines.supervision.v1"
STATION_DIRECTORY = "stations.directory.v1"  # compacted: the latest entry of each station or centre
NOTIFICATION_FAILED = "notifications.failed.v1"
REPORT_STUCK = "reports.stuck.v1"  # a report that went no further: intake tells the hotline supervisors
DEADLINE_EXTENSIONS = "deadlines.extensions.v1"  # 延期: asked by the holder, decided by the county centre
CALLBACK_RECORDED = "callbacks.recorded.v1"  # 回访: the hotline called the reporter back
REPORT_PROGRESSED = "reports.progressed.v1"  # a step the 12345 platform and the reporter are told of

ALL_TOPICS = (
    REPORT_RECEIVED,
    REFERRAL_ASSIGNED,
    REFERRAL_UNROUTED,
    REFERRAL_ACTIONS,
    REPORT_LINKED,
    DEADLINE_SCHEDULED,
    DEADLINE_REMINDER_DUE,
    DEADLINE_BREACHED,
    SUPERVISION_ISSUED,
    STATION_DIRECTORY,
    NOTIFICATION_FAILED,
    REPORT_STUCK,
    DEADLINE_EXTENSIONS,
    CALLBACK_RECORDED,
    REPORT_PROGRESSED,
)
COMPACTED = frozenset({STATION_DIRECTORY})


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dead-letter"
