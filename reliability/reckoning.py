"""What became of the accepted reports, counted from each service's database and the stations' mailbox:
lost, duplicated, referred, linked, deadlines, notifications and their deliveries."""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from email import message_from_binary_file, policy
from pathlib import Path
from uuid import UUID

import asyncpg

from shared.domain.referrals import OPENING_STAGES


@dataclass
class Reckoning:
    accepted: int
    stored_by_intake: int
    referred: int  # reports that opened a referral
    linked: int  # reports linked to an open referral
    lost: int  # accepted, but held by no referral
    duplicated: int  # reports held twice, or referrals opened twice for one report
    referrals: int
    referrals_missing_deadlines: int
    duplicate_deadlines: int
    assignment_notices: int
    duplicate_notices: int  # a second notice of the same assignment to the same receiver
    notices_delivered: int
    mails_received: int
    mails_sent_again: int  # the same Message-ID twice: resent after a crash; a receiver drops it by its id
    unpublished_outbox: int

    @property
    def settled(self) -> bool:
        return (
            self.lost == 0
            and self.referrals_missing_deadlines == 0
            and self.notices_delivered == self.assignment_notices
            and self.unpublished_outbox == 0
        )


async def reckon(database_urls: dict[str, str], report_ids: set[str], mail_folder: Path) -> Reckoning:
    ids = [UUID(report_id) for report_id in report_ids]
    intake = await asyncpg.connect(database_urls["intake"])
    referral = await asyncpg.connect(database_urls["referral"])
    notification = await asyncpg.connect(database_urls["notification"])
    try:
        stored = await intake.fetchval("SELECT count(*) FROM reports WHERE report_id = ANY($1)", ids)
        held = await referral.fetch(
            "SELECT report_id, referral_id, linked FROM referral_reports WHERE report_id = ANY($1)", ids
        )
        opened_twice = await referral.fetchval(
            "SELECT count(*) FROM (SELECT report_id FROM referrals WHERE report_id = ANY($1)"
            " GROUP BY report_id HAVING count(*) > 1) twice",
            ids,
        )
        referral_ids = list({row["referral_id"] for row in held})
        stages = await notification.fetch(
            "SELECT referral_id, stage, count(*) AS times FROM deadlines WHERE referral_id = ANY($1)"
            " GROUP BY referral_id, stage",
            referral_ids,
        )
        notices = await notification.fetch(
            "SELECT referral_id, receiver_code, status FROM notifications"
            " WHERE kind = 'assigned' AND referral_id = ANY($1)",
            referral_ids,
        )
        unpublished = 0
        for connection in (intake, referral, notification):
            unpublished += await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    finally:
        for connection in (intake, referral, notification):
            await connection.close()

    holdings = Counter(row["report_id"] for row in held)
    stages_per_referral = Counter(row["referral_id"] for row in stages)
    notices_per_receiver = Counter((row["referral_id"], row["receiver_code"]) for row in notices)
    message_ids = Counter(_message_ids(mail_folder))
    return Reckoning(
        accepted=len(ids),
        stored_by_intake=stored,
        referred=sum(1 for row in held if not row["linked"]),
        linked=sum(1 for row in held if row["linked"]),
        lost=len(set(ids) - set(holdings)),
        duplicated=sum(1 for times in holdings.values() if times > 1) + opened_twice,
        referrals=len(referral_ids),
        referrals_missing_deadlines=sum(1 for r in referral_ids if stages_per_referral[r] < len(OPENING_STAGES)),
        duplicate_deadlines=sum(1 for row in stages if row["times"] > 1),
        assignment_notices=len(notices),
        duplicate_notices=sum(times - 1 for times in notices_per_receiver.values()),
        notices_delivered=sum(1 for row in notices if row["status"] == "delivered"),
        mails_received=sum(message_ids.values()),
        mails_sent_again=sum(times - 1 for times in message_ids.values()),
        unpublished_outbox=unpublished,
    )


def _message_ids(mail_folder: Path) -> list[str]:
    found = []
    for path in (mail_folder / "new").glob("*"):
        with open(path, "rb") as file:
            found.append(str(message_from_binary_file(file, policy=policy.default)["Message-ID"]))
    return found


async def reckon_when_settled(
    database_urls: dict[str, str], report_ids: set[str], mail_folder: Path, seconds: float
) -> tuple[Reckoning, float]:
    """Counts again until everything accepted has gone all the way through, or `seconds` have passed;
    returns the last count and how long settling took."""
    started = time.monotonic()
    while True:
        counted = await reckon(database_urls, report_ids, mail_folder)
        waited = time.monotonic() - started
        if counted.settled or waited > seconds:
            return counted, waited
        await asyncio.sleep(1)
