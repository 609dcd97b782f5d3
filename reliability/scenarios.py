"""One fault during a steady stream of reports, then the count of what became of every accepted one."""

import asyncio
import shutil
import time
from dataclasses import dataclass
from datetime import timedelta

from deploy.local.detached import SERVICES, DetachedSystem
from reliability.faults import Fault
from reliability.reckoning import Reckoning, reckon_when_settled
from reliability.stream import StreamResult, stream
from shared.auth.tokens import issue_token
from shared.domain.access import Role
from shared.settings import DEVELOPMENT_JWT_SECRET


@dataclass(frozen=True)
class Bounds:
    rate: float = 5  # reports a second
    seconds: float = 20  # of the stream
    fault_after: float = 6  # seconds into the stream
    down_for: float = 4  # seconds before the fault is mended
    settle_seconds: float = 180  # the longest wait for everything to go through afterwards


@dataclass
class Outcome:
    fault: str
    sent: StreamResult
    counted: Reckoning
    settled_in: float  # seconds from the stream's end until everything had gone through
    outage: float  # seconds from the fault until the part was back (restarted and ready)


async def run_scenario(system: DetachedSystem, fault: Fault, bounds: Bounds, seed: int) -> Outcome:
    mail = system.state / "mail"
    shutil.rmtree(mail / "new", ignore_errors=True)
    (mail / "new").mkdir(parents=True)
    token = issue_token(DEVELOPMENT_JWT_SECRET, "fault-script", Role.OPERATOR, "1407", timedelta(hours=2))
    patience = bounds.seconds + bounds.down_for + 120
    intake_urls = [system.urls[name] for name in system.instances_of("intake")]
    sending = asyncio.create_task(stream(intake_urls, token, bounds.rate, bounds.seconds, seed=seed, patience=patience))
    await asyncio.sleep(bounds.fault_after)
    struck = time.monotonic()
    await asyncio.to_thread(fault.inject, system)
    await asyncio.sleep(bounds.down_for)
    await asyncio.to_thread(fault.mend, system)
    outage = time.monotonic() - struck
    sent = await sending
    infra = system.infra()
    databases = {service: infra[f"{service.upper()}_DATABASE_URL"] for service in SERVICES}
    counted, settled_in = await reckon_when_settled(databases, sent.accepted_report_ids, mail, bounds.settle_seconds)
    return Outcome(fault.name, sent, counted, settled_in, outage)
