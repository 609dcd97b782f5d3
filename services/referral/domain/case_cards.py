"""What a case card shows, so that a station tells its cases apart at a glance: the child's name masked (王*明)
for every role, the village (else the township) and the concerns of its reports. The full name stays in the
case's reports, shown as the caller's role allows."""

from dataclasses import dataclass

from services.referral.domain.gazetteer import VILLAGE_SUFFIXES
from shared.domain.codes import Concern
from shared.identifiers import mask_name_on_card


@dataclass(frozen=True)
class CaseCard:
    child_name_masked: str | None
    village_name: str | None
    concerns: tuple[Concern, ...]


def case_card(child_name: str | None, village: str | None, township: str | None, concerns: list[str]) -> CaseCard:
    """`village` is the one the first report named by code, when it lies in the township the referral is in."""
    known = {str(concern) for concern in concerns}
    return CaseCard(
        child_name_masked=mask_name_on_card(child_name),
        village_name=village_as_said(village) if village else township,
        concerns=tuple(concern for concern in Concern if concern.value in known),
    )


def village_as_said(committee: str) -> str:
    """A village committee as people name its village or community: 大寨村村委会 -> 大寨村."""
    for suffix, replacement in VILLAGE_SUFFIXES:
        if committee.endswith(suffix) and len(committee) > len(suffix):
            name = committee.removesuffix(suffix)
            return name if name.endswith(replacement) else name + replacement
    return committee
