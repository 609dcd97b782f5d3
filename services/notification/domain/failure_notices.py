"""What the unit above a receiver is told when a notification to it could not be delivered. Pure: no I/O."""

from dataclasses import dataclass
from uuid import UUID

from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.notices import Audience, Notice, NoticeKind, short_id
from shared.domain.divisions import DivisionCode, DivisionLevel, is_division_code

CHANNEL_NAMES = {
    DeliveryChannel.WEBHOOK: "系统推送",
    DeliveryChannel.EMAIL: "电子邮件",
    DeliveryChannel.SMS: "短信",
    DeliveryChannel.NONE: "任何渠道",
}


@dataclass(frozen=True)
class Failure:
    """A notification that could not be delivered."""

    notification_id: UUID
    kind: NoticeKind
    referral_id: UUID | None
    assignee_code: str
    receiver_code: str
    channel: DeliveryChannel
    attempts: int
    receiver_name: str | None = None  # the station's or centre's name, from the directory


def notice_for_failure(failure: Failure) -> Notice | None:
    """A station's failure goes to the centre of its county, a centre's to the committee over it. A failed
    notice to a committee, or about a failure, raises nothing more: it stays listed as dead."""
    if failure.kind == NoticeKind.DELIVERY_FAILED:
        return None
    level = DivisionCode(failure.receiver_code).level if is_division_code(failure.receiver_code) else None
    match level:
        case DivisionLevel.TOWNSHIP:
            audience = Audience.COUNTY_CENTRE
        case DivisionLevel.COUNTY:
            audience = Audience.COMMITTEE
        case _:
            return None
    channel = CHANNEL_NAMES.get(failure.channel, failure.channel)
    receiver = f"{failure.receiver_name}（{failure.receiver_code}）" if failure.receiver_name else failure.receiver_code
    return Notice(
        kind=NoticeKind.DELIVERY_FAILED,
        audience=audience,
        about_code=failure.receiver_code,
        assignee_code=failure.assignee_code,
        referral_id=failure.referral_id,
        subject=f"【送达失败】发给 {receiver} 的通知未能送达",
        body=(
            f"通知 {failure.notification_id}（转介 {short_id(failure.referral_id)}）经 {failure.attempts} 次尝试"
            f"未能通过{channel}送达 {receiver}，请电话联系该单位。"
        ),
    )
