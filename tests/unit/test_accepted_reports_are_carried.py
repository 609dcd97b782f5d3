"""One contract: whatever intake accepts, the services after it can carry. Reports are generated, kept only when
intake's field rules (ReportIn) and its rules across fields and on division codes accept them, and then carried
as the event, through referral's referring (resolution, triage, the child's identity, the opening of the
referral) and notification's clocks for the referral it opens, on storage kept in memory: none may raise."""

import asyncio
import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deploy.local.process import REPO_ROOT
from services.intake.domain.report_rules import division_problems, report_problems
from services.intake.entrypoints.http.report_request import ReportIn
from services.notification.application.clocks import Rules, start_or_move
from services.referral.application.referring import Referrer
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.routing import Station
from shared.division_package import package_rows
from shared.domain.codes import AssigneeKind, Channel, ChildStatus, Concern, Gender, InstitutionType
from shared.domain.divisions import DivisionCode, DivisionLevel
from shared.events import ReferralAssigned, ReportReceived
from shared.identifiers import id_check_character
from shared.timezones import CHINA
from tests.fakes.notification_repositories import InMemoryClockTransaction
from tests.fakes.referral_repositories import InMemoryTransactions

SECRET = b"test-only-child-key-secret"
NOW = datetime.now(UTC)
REPEATS = RepeatRule(window=timedelta(days=30), reports_that_raise=3)
PLACES = ["大寨镇", "昔阳县大寨镇", "城关镇", "中山市小榄镇", "👧🏻", "a\u0301", "\u202e", "\t"]
DEMO_AREAS = ("1407", "4420")  # Jinzhong and Zhongshan: every township has a station


@dataclass(frozen=True)
class Codes:
    """The township and village codes intake accepts, and how to draw one (more often in the demo areas)."""

    known: frozenset[str]
    any: st.SearchStrategy[str]
    mostly_demo: st.SearchStrategy[str]

    def __repr__(self) -> str:  # hypothesis shows the strategy's arguments: not 660,000 codes
        return f"Codes({len(self.known)} known)"


@pytest.fixture(scope="module")
def codes(division_package: Path) -> Codes:
    levels = (DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE)
    known = sorted(code for code, _, _, level in package_rows(division_package) if level in levels)
    any_code = st.sampled_from(known)  # made once: a strategy over 660,000 codes is slow to build
    return Codes(frozenset(known), any_code, any_code | st.sampled_from([c for c in known if c.startswith(DEMO_AREAS)]))


@pytest.fixture(scope="module")
def stations() -> list[Station]:
    with (REPO_ROOT / "reference" / "demo_stations.csv").open(encoding="utf-8") as handle:
        return [Station(row["code"], AssigneeKind(row["kind"]), row["name"]) for row in csv.DictReader(handle)]


def text(max_size: int) -> st.SearchStrategy[str]:
    """Any text, hostile included (control characters, surrogates, emoji, combining marks); intake decides."""
    return st.text(max_size=max_size) | st.sampled_from(PLACES)


ZONES = st.none() | st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


ANY_TIME = st.datetimes(datetime.min, datetime.max)  # year 1 to 9999: intake refuses what it cannot carry


@st.composite
def received_times(draw) -> str:
    recent = st.timedeltas(timedelta(0), timedelta(days=31)).map(lambda age: NOW - age)
    moment = draw(recent | ANY_TIME.map(lambda moment: moment.replace(tzinfo=UTC)))
    zone = draw(ZONES)
    if zone is None:  # a time without a zone is China time
        return moment.astimezone(CHINA).replace(tzinfo=None).isoformat()
    return moment.astimezone(zone).isoformat()


def id_number(region: str, born: date, serial: int) -> str:
    first_17 = f"{region}{born.year:04d}{born:%m%d}{serial:03d}"
    return first_17 + id_check_character(first_17)


@st.composite
def children(draw, codes: Codes) -> dict:
    code = draw(codes.mostly_demo)
    child: dict = {"division_code": code} if draw(st.booleans()) else {}
    born = draw(st.dates(date(2000, 1, 1), NOW.date()) | st.dates())
    exact = NOW.year - born.year - ((NOW.month, NOW.day) < (born.month, born.day))
    optional = {
        "name": text(50),
        "gender": st.sampled_from(list(Gender)).map(str),
        "age": st.sampled_from([exact, exact + 1]) | st.integers(0, 17),
        "birth_date": st.just(born.isoformat()),
        "id_number": st.integers(0, 999).map(lambda serial: id_number(DivisionCode(code).county, born, serial)),
        "address": text(200),
        "hukou_address": text(200),
        "hukou_division_code": codes.any,
        "status": st.lists(st.sampled_from(list(ChildStatus)).map(str), max_size=3, unique=True),
    }
    for field, values in optional.items():
        if draw(st.booleans()):
            child[field] = draw(values)
    return child


REPORTERS = st.fixed_dictionaries(
    {},
    optional={
        "name": text(50),
        "phone": st.sampled_from(["13800138000", "0354-4567890", "+86 139 1234 5678"]),
        "relation": text(50),
        "mandatory_reporter": st.booleans(),
        "institution_type": st.sampled_from(list(InstitutionType)).map(str),
        "institution_name": text(100),
        "anonymous": st.booleans(),
        "consents_to_share_identity": st.booleans(),
    },
)


def reports(codes: Codes) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "child": children(codes),
            "concerns": st.lists(st.sampled_from(list(Concern)).map(str), min_size=1, max_size=4, unique=True),
            "narrative": text(300),
        },
        optional={
            "hotline_ticket_id": st.from_regex(r"[A-Za-z0-9_-]{1,40}", fullmatch=True),
            "received_at": received_times(),
            "channel": st.sampled_from(list(Channel)).map(str),
            "reporter": REPORTERS,
            "immediate_danger": st.booleans(),
        },
    )


def accepted(body: dict, known: frozenset[str]) -> ReportReceived | None:
    """The event intake would announce for the body, or None when intake refuses it."""
    try:
        request = ReportIn.model_validate(body)
    except ValueError:
        return None
    report = request.to_report()
    received_at = report.received_at or NOW
    if report_problems(report, received_at, NOW) or division_problems(report.child, known):
        return None
    report.child_key(SECRET, uuid4())
    event = report.announcement(uuid4(), received_at)
    return ReportReceived.model_validate_json(event.model_dump_json())  # as it travels over Kafka


async def carry(event: ReportReceived, gazetteer: Gazetteer, stations: list[Station]) -> list[ReferralAssigned]:
    """Referred, and the clocks of the referral started; the assignments announced."""
    storage = InMemoryTransactions(stations)
    await Referrer(storage, lambda: gazetteer, SECRET, REPEATS).refer_many([event])
    assert len(storage.rows.reports) == 1
    announced = [item for item, _ in storage.rows.outbox if isinstance(item, ReferralAssigned)]
    assigned = [ReferralAssigned.model_validate_json(item.model_dump_json()) for item in announced]
    clocks = InMemoryClockTransaction()
    await start_or_move(clocks, assigned, Rules())
    assert bool(clocks.clocks.deadlines) == bool(assigned)
    return assigned


def test_every_report_intake_accepts_is_referred_and_timed_without_error(gazetteer, codes, stations):
    carried: list[ReportReceived] = []
    assigned: list[ReferralAssigned] = []

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(reports(codes))
    def check(body: dict) -> None:
        event = accepted(body, codes.known)
        assume(event is not None)
        assigned.extend(asyncio.run(carry(event, gazetteer, stations)))
        carried.append(event)

    check()
    assert len(carried) >= 50, "enough generated reports were accepted to say something"
    assert len(assigned) >= 10, "and enough of them reached a station or centre, whose clocks started"
