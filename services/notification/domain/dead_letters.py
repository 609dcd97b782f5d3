"""Dead letters as the hotline supervisors see them: where each lies, when and why it was set aside (in
words), and the case it is about when known; never its body. Pure: no I/O."""

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.domain.access import Principal, can_see_case

INVALID = re.compile(r"^invalid (?P<event>\w+): (?P<fields>.*)$")
HANDLER_FAILED = re.compile(r"^handler failed: (?P<kind>\w+)$")
FIELD = re.compile(r"^(?P<field>[^:]+): (?P<type>\w+)$")
FIELD_TYPES = {"missing": "缺少", "extra_forbidden": "多余", "json_invalid": "不是有效的 JSON"}


@dataclass(frozen=True)
class DeadLetterEntry:
    topic: str  # the dead-letter topic
    partition: int
    offset: int
    set_aside_at: datetime
    source_topic: str | None
    consumer_group: str | None  # who set it aside
    error: str  # as the consumer wrote it: error kinds and field names, never values
    report_id: UUID | None
    referral_id: UUID | None
    event_id: UUID | None
    case_number: str | None  # when the referral's clocks are known here
    holder_code: str | None  # the station or centre holding the case, when known

    @property
    def reason(self) -> str:
        return reason_in_words(self.error)


def reason_in_words(error: str) -> str:
    if invalid := INVALID.match(error):
        problems = [_field_in_words(part.strip()) for part in invalid["fields"].split(";") if part.strip()]
        return f"事件 {invalid['event']} 的内容不合格：{'；'.join(problems) or '无法读取'}"
    if failed := HANDLER_FAILED.match(error):
        return f"处理该事件时出错（{failed['kind']}），已搁置，待查明原因后重放"
    return f"原因不明（{error}）"


def shown_to(caller: Principal, entry: DeadLetterEntry) -> bool:
    """An operator sees those of its area's cases and those of no known case (the whole hotline's); an
    administrator all."""
    return can_see_case(caller, entry.holder_code)


def _field_in_words(problem: str) -> str:
    if found := FIELD.match(problem):
        field = "整条消息" if found["field"] == "<message>" else f"字段 {found['field']} "
        return f"{field}{FIELD_TYPES.get(found['type'], '不合规定')}（{found['type']}）"
    return problem
