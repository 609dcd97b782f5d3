"""A steady stream of reports to intake, sent the way the 12345 platform sends them: each with its own
Idempotency-Key, retried with that key until intake answers 200 or 201. Where intake has several addresses
(instances), each try goes to the next one, so a retry after a failure goes elsewhere. Some reports are about
a child already reported, so that linking is exercised too."""

import asyncio
import contextlib
import random
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

from shared.identifiers import id_check_character

TOWNSHIP = "140724104"  # 昔阳县大寨镇, which has a station
RETRY_PAUSE_SECONDS = 0.5


@dataclass
class Submission:
    idempotency_key: str
    body: dict
    answers: list[int] = field(default_factory=list)
    report_ids: set[str] = field(default_factory=set)

    @property
    def accepted(self) -> bool:
        return any(status in (200, 201) for status in self.answers)

    @property
    def created(self) -> bool:
        return 201 in self.answers


@dataclass
class StreamResult:
    submissions: list[Submission] = field(default_factory=list)

    @property
    def accepted_report_ids(self) -> set[str]:
        return {report_id for s in self.submissions for report_id in s.report_ids}

    @property
    def retried(self) -> int:
        return sum(1 for s in self.submissions if len(s.answers) > 1 or (s.answers and not s.accepted))

    @property
    def given_up(self) -> int:
        return sum(1 for s in self.submissions if not s.accepted)

    @property
    def keys_with_two_reports(self) -> int:
        return sum(1 for s in self.submissions if len(s.report_ids) > 1)


def child_id_number(rng: random.Random) -> str:
    birth = f"2014{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first_17 = f"140724{birth}{rng.randint(0, 999):03d}"
    return first_17 + id_check_character(first_17)


def report_bodies(count: int, seed: int, repeat_every: int = 5) -> list[dict]:
    """Every `repeat_every`-th report is about the child of an earlier one (same ID number)."""
    rng = random.Random(seed)
    bodies: list[dict] = []
    for index in range(count):
        if index % repeat_every == repeat_every - 1 and bodies:
            id_number = rng.choice(bodies)["child"]["id_number"]
        else:
            id_number = child_id_number(rng)
        bodies.append(
            {
                "child": {"division_code": TOWNSHIP, "id_number": id_number},
                "concerns": ["neglect"],
                "narrative": "孩子父母外出务工，长期独自在家，无人照看。",
            }
        )
    return bodies


async def _submit(clients: list[aiohttp.ClientSession], first: int, submission: Submission, give_up_at: float) -> None:
    headers = {"Idempotency-Key": submission.idempotency_key}
    tries = 0
    while time.monotonic() < give_up_at:
        client = clients[(first + tries) % len(clients)]
        tries += 1
        try:
            async with client.post("/v1/reports", json=submission.body, headers=headers) as response:
                submission.answers.append(response.status)
                if response.status in (200, 201):
                    submission.report_ids.add((await response.json())["report_id"])
                    return
                if response.status < 500:
                    return  # refused for what it is: retrying would not help
        except (aiohttp.ClientError, TimeoutError):
            submission.answers.append(0)
        await asyncio.sleep(RETRY_PAUSE_SECONDS)


async def stream(
    intake_urls: list[str], token: str, rate: float, seconds: float, seed: int, patience: float
) -> StreamResult:
    """Sends `rate` reports a second for `seconds`, to each address in turn; each is retried for up to
    `patience` seconds."""
    result = StreamResult()
    bodies = report_bodies(int(rate * seconds), seed)
    timeout = aiohttp.ClientTimeout(total=10)
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                aiohttp.ClientSession(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
            )
            for url in intake_urls
        ]
        tasks = []
        start = time.monotonic()
        for index, body in enumerate(bodies):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            submission = Submission(idempotency_key=uuid.uuid4().hex, body=body)
            result.submissions.append(submission)
            give_up_at = time.monotonic() + patience
            tasks.append(asyncio.create_task(_submit(clients, index, submission, give_up_at)))
        await asyncio.gather(*tasks)
    return result
