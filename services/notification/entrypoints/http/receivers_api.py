"""The receivers of notices, and those an administrator enters: the committees, the hotline supervisors'
lead and the 12345 platform clients."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from services.notification.application import receiver_upkeep
from services.notification.deps import Admin, Runtime
from services.notification.domain.notices import HOTLINE_CODE
from services.notification.domain.receivers import (
    AREA_PATTERN,
    PLATFORM_CLIENT_PATTERN,
    EnteredPlatformClient,
    EnteredReceiver,
    ReceiverFields,
    ReceiverKind,
)
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["notifications"], responses=error_answers(401, 403, 404, 422, 503))


class ReceiverView(BaseModel):
    code: str
    kind: str
    name: str
    email: str | None
    sms_phone: str | None
    webhook_url: str | None
    active: bool
    updated_at: datetime


@router.put("/committees/{area}", response_model=ReceiverView)
async def put_committee(
    area: Annotated[str, Path(pattern=AREA_PATTERN, description="the code prefix the committee watches")],
    body: ReceiverFields,
    runtime: Runtime,
    _admin: Admin,
) -> ReceiverView:
    return await _save(runtime, EnteredReceiver(**body.model_dump(), code=area))


@router.put("/hotline", response_model=ReceiverView)
async def put_hotline(body: ReceiverFields, runtime: Runtime, _admin: Admin) -> ReceiverView:
    """The hotline supervisors' lead: told when a referral enters the unrouted queue and when its dispatch
    deadline nears or passes."""
    return await _save(runtime, EnteredReceiver(**body.model_dump(), code=HOTLINE_CODE))


@router.put("/platform-clients/{client}", response_model=ReceiverView)
async def put_platform_client(
    client: Annotated[str, Path(pattern=PLATFORM_CLIENT_PATTERN, description="the 12345 platform client")],
    body: ReceiverFields,
    runtime: Runtime,
    _admin: Admin,
) -> ReceiverView:
    """Where a 12345 platform client receives its work orders' progress (签收, 办结, 重新办理): a signed
    webhook, keyed like the others (webhook_keys prints its key for the code `client`)."""
    return await _save(runtime, EnteredPlatformClient(**body.model_dump(), code=client))


async def _save(runtime: Runtime, receiver: EnteredReceiver | EnteredPlatformClient) -> ReceiverView:
    return ReceiverView.model_validate(asdict(await receiver_upkeep.save_entered(runtime.pool, receiver)))


@router.get("/receivers", response_model=list[ReceiverView])
async def list_receivers(
    runtime: Runtime,
    _admin: Admin,
    kind: ReceiverKind | None = None,
    code_prefix: Annotated[str | None, Query(pattern=r"^[0-9]{1,9}$")] = None,
) -> list[ReceiverView]:
    receivers = await receiver_upkeep.list_receivers(runtime.pool, kind, code_prefix)
    return [ReceiverView.model_validate(asdict(receiver)) for receiver in receivers]
