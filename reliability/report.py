"""docs/RELIABILITY.md from the outcomes of a run."""

import platform
from datetime import UTC, datetime

from reliability.scenarios import Bounds, Outcome

COLUMNS = (
    ("out for s", lambda o: f"{o.outage:.1f}"),
    ("sent", lambda o: len(o.sent.submissions)),
    ("accepted", lambda o: o.counted.accepted),
    ("retried", lambda o: o.sent.retried),
    ("given up", lambda o: o.sent.given_up),
    ("stored", lambda o: o.counted.stored_by_intake),
    ("referred", lambda o: o.counted.referred),
    ("linked", lambda o: o.counted.linked),
    ("**lost**", lambda o: o.counted.lost),
    ("**duplicated**", lambda o: o.counted.duplicated + o.sent.keys_with_two_reports),
    ("referrals without all deadlines", lambda o: o.counted.referrals_missing_deadlines),
    ("duplicate deadlines", lambda o: o.counted.duplicate_deadlines),
    ("notices delivered / made", lambda o: f"{o.counted.notices_delivered} / {o.counted.assignment_notices}"),
    ("duplicate notices", lambda o: o.counted.duplicate_notices),
    ("mails resent with the same id", lambda o: o.counted.mails_sent_again),
    ("settled in s", lambda o: f"{o.settled_in:.0f}"),
)


SECTIONS = (
    "### One machine: one Kafka broker, one instance of each service",
    """### A cluster: three Kafka brokers, two instances of each service

Each topic is kept on all three brokers, and a write is taken only while at least two copies are in sync
(`TOPIC_REPLICATION_FACTOR` 3, `TOPIC_MIN_INSYNC_REPLICAS` 2; the brokers' own topics alike). The two intakes
take the reports in turn, as a platform that knows both addresses would send them; the two instances of
referral and of notification share their service's consumer groups. The broker killed is the one that
coordinates referral's consumer group; the instance killed is the first of the two.""",
)


def _table(outcomes: list[Outcome]) -> str:
    header = "| fault | " + " | ".join(name for name, _ in COLUMNS) + " |"
    rule = "|---" * (len(COLUMNS) + 1) + "|"
    rows = [f"| {o.fault} | " + " | ".join(str(value(o)) for _, value in COLUMNS) + " |" for o in outcomes]
    return "\n".join([header, rule, *rows])


def render(outcomes: list[Outcome], bounds: Bounds, command: str, cluster: list[Outcome] | None = None) -> str:
    """The single-machine `outcomes`, and beside them those on a `cluster`, each in its table where there are any."""
    parts = [outcomes, cluster or []]
    tables = "\n\n".join(f"{title}\n\n{_table(part)}" for title, part in zip(SECTIONS, parts, strict=True) if part)
    everything = [*outcomes, *(cluster or [])]
    where = ("on one broker", "on a cluster of three")
    systems = " and then ".join(name for name, part in zip(where, parts, strict=True) if part)
    total_lost = sum(o.counted.lost for o in everything)
    total_duplicated = sum(o.counted.duplicated + o.sent.keys_with_two_reports for o in everything)
    return f"""# Reliability

Regenerated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `{command}` on {platform.node() or "this machine"}
({platform.machine()}, Python {platform.python_version()}), against the whole local system (`./run --detach`
in its own folder: Apache Kafka, PostgreSQL, the three services, the mail catcher),
{systems}, traffic on 127.0.0.1 only.

## What was tried

For each fault, reports are sent to intake at {bounds.rate:g} a second for {bounds.seconds:g} s, the way the 12345
platform sends them: each with its own `Idempotency-Key`, retried with that key every half second until intake
answers 200 or 201. One report in five is about a child reported before (same ID number), so it should be
linked to that child's open referral rather than open a new one. {bounds.fault_after:g} s into the stream the fault
strikes; {bounds.down_for:g} s later it is mended (the service or the killed broker started again, Kafka or the
database restarted). Then the script waits until every accepted report has gone all the way through (at most
{bounds.settle_seconds:g} s) and counts, from each service's own database and the stations' mailbox:

- **lost**: accepted (200/201) but held by no referral;
- **duplicated**: a report held twice, a referral opened twice for one report, or one Idempotency-Key answered
  with two report ids;
- deadlines: each referral should have one deadline for every stage, and none twice;
- notices: each assignment is announced once to the station (a second notice to the same receiver is a
  duplicate); delivered means the mail server accepted it. A mail sent again with the same Message-ID, after a
  crash cut off the record of its first sending, is counted apart: receivers drop it by its id.

## Counts

{tables}

In all: {sum(o.counted.accepted for o in everything)} reports accepted,
**{total_lost} lost, {total_duplicated} duplicated**.

## What the other checks cover

- Poison messages: `tests/e2e/test_poison_messages.py` puts malformed and unknown-version events on every
  partition of every topic a service reads and finds each in `<topic>.dead-letter`, with its error and the
  consumer group that set it aside, from every service that reads it; then the readers are shown to carry
  on. `python -m shared.dead_letters show|replay` lists and replays dead letters.
- Bad input: `tests/fuzz/test_api_fuzz.py` runs schemathesis against each running service's OpenAPI
  document (no 5xx; every answer declared, in its declared shape); `tests/unit/test_validator_properties.py`
  and `tests/unit/test_resolver.py` run hypothesis against the validators and the resolver.
- Access: `tests/fuzz/test_access_matrix.py` tries every published operation with every role, inside and
  outside its area, and with eight kinds of bad token.
- Privacy: last in every test run, `tests/test_privacy_sweep.py` looks for the seeded names, ID numbers
  and phone numbers in every log line the run wrote, and for a non-consenting reporter's identity on every
  Kafka topic.
"""
