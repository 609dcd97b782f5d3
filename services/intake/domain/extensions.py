"""A 延期 on the case's timeline: asked by the holder, then approved or refused by the county centre. Codes and
times only, as the event carries them; the reason stays in notification. Pure: no I/O."""

from services.intake.domain.case_progress import ROLE_WORDS, TimelineEntry
from shared.events import DeadlineExtension
from shared.events.deadlines import ExtensionDecision
from shared.timezones import CHINA

STAGE_WORDS = {
    "dispatch": "人工分派",
    "acknowledge": "签收",
    "first_contact": "首次联系",
    "home_visit": "入户走访",
    "assessment": "监护评估",
    "police_notice": "报警",
    "police_feedback": "公安反馈",
    "callback": "回访",
    "helper": "确定结对帮扶人",
    "follow_up_visit": "随访",
    "guardianship_decision": "临时监护决定",
}


def extension_entry(event: DeadlineExtension, holder_code: str | None, holder_name: str | None) -> TimelineEntry:
    asked = event.decision is ExtensionDecision.PENDING
    pending = None
    if asked and holder_name and holder_code == event.assignee_code:
        by = holder_name
    elif asked:
        by, pending = ROLE_WORDS["station"], event.assignee_code
    else:
        by = ROLE_WORDS["county_centre"]
    until = event.requested_until.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    detail = f"{STAGE_WORDS.get(event.stage.value, event.stage.value)}延期至{until}"
    return TimelineEntry(
        event.event_id, event.referral_id, None, event.at, f"extension_{event.decision.value}", by, detail, pending
    )
