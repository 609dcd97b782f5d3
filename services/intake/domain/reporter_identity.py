"""The reporter's identity, confidential: the hotline centre that took the report sees it (for the callback), a
station only what the reporter agreed to share, with the phone masked; nobody else (a committee, an administrator,
another centre's operator) sees any of it."""

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from shared.domain.access import Principal, Role, took_the_report
from shared.identifiers import mask_phone


class ReporterIdentity(BaseModel):
    name: str | None = None
    phone: str | None = None
    relation: str | None = None
    institution_name: str | None = None

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())


def visible_identity(
    sealed: bytes | None,
    shared: bool,
    hotline_area: str | None,
    principal: Principal,
    unseal: Callable[[bytes], ReporterIdentity],
) -> dict[str, Any]:
    """What the principal may see of the identity sealed at rest; unsealed only for one who may see it."""
    if sealed is None:
        return {}
    if took_the_report(principal, hotline_area):
        return unseal(sealed).model_dump()
    if shared and principal.role is Role.STATION:
        identity = unseal(sealed)
        return identity.model_copy(update={"phone": mask_phone(identity.phone)}).model_dump()
    return {}
