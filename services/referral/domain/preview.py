"""What the operator sees while taking a call: where a report with this address or division code would go
(a township's station, a county's centre, candidates to pick from, or the supervisors' queue) and how the
address was read. Pure; nothing is stored."""

from dataclasses import dataclass
from enum import StrEnum

from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.resolution import MatchedBy, Outcome, Place, Resolution
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing, RoutingReason
from shared.domain.codes import AssigneeKind
from shared.domain.problems import invalid


class Destination(StrEnum):
    STATION = "station"
    COUNTY_CENTRE = "county_centre"
    CANDIDATES = "candidates"  # several places fit: the operator may pick one before submitting
    QUEUE = "queue"  # the hotline supervisors' queue: nothing fits, or no station or centre covers the place


@dataclass(frozen=True)
class Preview:
    destination: Destination
    reason: RoutingReason
    place: Place | None  # the township or county the child would be placed in
    assignee_name: str | None  # the station or centre that would receive the report
    candidates: tuple[Place, ...]
    matched_by: MatchedBy | None


def read_for_preview(gazetteer: Gazetteer, address: str | None, division_code: str | None) -> Resolution:
    """The resolver's reading of what the operator typed; a code the gazetteer does not know is refused."""
    address = (address or "").strip()
    if not address and not division_code:
        raise invalid("address", "address_or_division_code", "请填写地址或区划代码")
    resolution = resolve(gazetteer, address, division_code)
    if division_code and resolution.matched_by is not MatchedBy.DIVISION_CODE:
        raise invalid("division_code", "unknown_division", "没有这个区划代码（应为县或乡镇街道）")
    return resolution


def preview_of(resolution: Resolution, routing: Routing) -> Preview:
    assignee = routing.assignee
    if resolution.outcome is Outcome.AMBIGUOUS:
        destination = Destination.CANDIDATES
    elif assignee is None:
        destination = Destination.QUEUE
    elif assignee.kind is AssigneeKind.STATION:
        destination = Destination.STATION
    else:
        destination = Destination.COUNTY_CENTRE
    return Preview(
        destination=destination,
        reason=routing.reason,
        place=resolution.place,
        assignee_name=assignee.name if assignee else None,
        candidates=resolution.candidates,
        matched_by=resolution.matched_by,
    )
