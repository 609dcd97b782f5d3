"""The rules a station's phone leans on: an action sent again under its Idempotency-Key answers the same and
changes nothing, a referral moved away is refused in words (not as unknown), and case cards name the child
masked, the village and the concerns."""

from datetime import timedelta

import pytest

from services.referral.application.acting import Act
from services.referral.application.referring import Referrer
from services.referral.domain.case_cards import case_card
from services.referral.domain.gazetteer import Division, Gazetteer
from services.referral.domain.idempotency import HEADER, KeyedRequest, keyed
from services.referral.domain.lifecycle import CONFLICT_MESSAGES, NO_LONGER_HELD, RefusalCode
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.routing import Station
from shared.domain.access import Principal, Role
from shared.domain.codes import AssigneeKind, Concern
from shared.domain.divisions import DivisionLevel
from shared.domain.problems import Conflict, FieldProblems, NotFound
from shared.events import ReferralActionRecorded
from shared.identifiers import mask_name_on_card
from tests.factories import report_received
from tests.fakes.referral_repositories import InMemoryTransactions

DAZHAI, LEPING, XIYANG = "140724104", "140724100", "140724"
GAZETTEER = Gazetteer(
    [
        Division("14", "山西省", DivisionLevel.PROVINCE),
        Division("1407", "晋中市", DivisionLevel.CITY),
        Division(XIYANG, "昔阳县", DivisionLevel.COUNTY),
        Division(DAZHAI, "大寨镇", DivisionLevel.TOWNSHIP),
        Division(LEPING, "乐平镇", DivisionLevel.TOWNSHIP),
    ]
)
STATIONS = [
    Station(DAZHAI, AssigneeKind.STATION, "大寨镇工作站"),
    Station(LEPING, AssigneeKind.STATION, "乐平镇工作站"),
    Station(XIYANG, AssigneeKind.COUNTY_CENTRE, "昔阳县救助保护中心"),
]
DAZHAI_STATION = Principal("dazhai", Role.STATION, DAZHAI)
LEPING_STATION = Principal("leping", Role.STATION, LEPING)
CENTRE = Principal("xiyang", Role.COUNTY_CENTRE, XIYANG)
PATH = "/v1/referrals/1/visits"
REPEATS = RepeatRule(window=timedelta(days=30), reports_that_raise=3)


def rendered(case) -> dict:
    return {"version": case.referral.version, "history": len(case.history)}


@pytest.fixture
def storage() -> InMemoryTransactions:
    return InMemoryTransactions(STATIONS)


@pytest.fixture
async def referral(storage):
    report = report_received(DAZHAI)
    await Referrer(storage, lambda: GAZETTEER, b"test-only-child-key-secret", REPEATS).refer_many([report])
    return storage.rows.of_report(report.report_id)


@pytest.fixture
def act(storage) -> Act:
    return Act(storage, lambda: GAZETTEER)


def visit(key: str, notes: str = "入户") -> tuple:
    return keyed(DAZHAI_STATION, key, PATH, {"notes": notes}), lambda r, c: r.record_home_visit(c, None, notes)


def actions(storage) -> list:
    return [event for event, _ in storage.rows.outbox if isinstance(event, ReferralActionRecorded)]


async def test_an_action_sent_again_with_its_key_answers_the_same_and_happens_once(storage, referral, act):
    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    request, decide = visit("visit-1")

    first = await act.answered(referral.referral_id, DAZHAI_STATION, decide, rendered, request)
    again = await act.answered(referral.referral_id, DAZHAI_STATION, decide, rendered, request)

    assert (again, first.status) == (first, 200)
    assert [entry.action for entry in storage.rows.history].count("home_visit_recorded") == 1
    assert [event.action.value for event in actions(storage)] == ["acknowledged", "home_visit_recorded"]
    assert storage.rows.audit[-1] == ("dazhai", "read", [referral.referral_id])  # shown again, so read


async def test_a_key_used_for_another_request_is_refused_naming_the_header(storage, referral, act):
    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    await act.answered(referral.referral_id, DAZHAI_STATION, visit("k")[1], rendered, visit("k")[0])
    other, decide = visit("k", notes="第二次")

    with pytest.raises(FieldProblems) as refused:
        await act.answered(referral.referral_id, DAZHAI_STATION, decide, rendered, other)

    assert [problem.field for problem in refused.value.problems] == [HEADER]
    assert len(actions(storage)) == 2


async def test_without_a_key_each_request_acts(storage, referral, act):
    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    for _ in range(2):
        await act.answered(referral.referral_id, DAZHAI_STATION, visit("x")[1], rendered, None)
    assert len(actions(storage)) == 3


async def test_a_refusal_is_not_kept_so_the_key_decides_again(storage, referral, act):
    request, decide = visit("early")
    with pytest.raises(Conflict):  # not yet acknowledged
        await act.answered(referral.referral_id, DAZHAI_STATION, decide, rendered, request)
    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    assert (await act.answered(referral.referral_id, DAZHAI_STATION, decide, rendered, request)).status == 200


def test_keys_are_the_callers_own_and_stand_for_path_and_body():
    one = keyed(DAZHAI_STATION, "k", PATH, {"notes": "a", "at": None})
    assert one == keyed(DAZHAI_STATION, "k", PATH, {"at": None, "notes": "a"})
    assert one.fingerprint != keyed(DAZHAI_STATION, "k", "/v1/referrals/2/visits", {"notes": "a"}).fingerprint
    assert one.fingerprint != keyed(DAZHAI_STATION, "k", PATH, {"notes": "b", "at": None}).fingerprint
    assert one.caller == "dazhai"
    assert keyed(Principal("", Role.STATION, DAZHAI), "k", PATH, {}) == KeyedRequest(
        f"station:{DAZHAI}", "k", keyed(LEPING_STATION, "k", PATH, {}).fingerprint
    )


async def test_a_station_the_referral_moved_away_from_is_told_so_and_no_more(storage, referral, act):
    await act(referral.referral_id, CENTRE, lambda r, c: r.reassign(c, LEPING, "属地核实"))

    with pytest.raises(Conflict) as moved:
        await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    assert (moved.value.message, moved.value.code) == (NO_LONGER_HELD, RefusalCode.NO_LONGER_HELD)
    assert moved.value.missing == ()

    stranger = Principal("jiedu", Role.STATION, "140724101")
    with pytest.raises(NotFound):
        await act(referral.referral_id, stranger, lambda r, c: r.acknowledge(c))


def test_every_state_refusal_is_in_chinese():
    for message in [*CONFLICT_MESSAGES.values(), NO_LONGER_HELD]:
        assert any("\u4e00" <= character <= "\u9fff" for character in message), message


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王*明"),
        ("王明", "王*"),
        ("欧阳小明", "欧*明"),
        ("王", "王*"),
        (" 李四 ", "李*"),
        ("", None),
        (None, None),
    ],
)
def test_a_case_card_masks_the_name_keeping_its_ends(name, masked):
    assert mask_name_on_card(name) == masked


def test_a_case_card_names_the_village_else_the_township_and_the_concerns_in_order():
    card = case_card("王小明", None, "大寨镇", ["neglect", "lack_of_guardianship", "neglect"])
    assert (card.child_name_masked, card.village_name) == ("王*明", "大寨镇")
    assert card.concerns == (Concern.LACK_OF_GUARDIANSHIP, Concern.NEGLECT)
    assert case_card(None, "金石坡村村委会", "大寨镇", []).village_name == "金石坡村"
    assert case_card(None, "黄岩底社区居民委员会", "大寨镇", []).village_name == "黄岩底社区"
    assert case_card(None, None, None, []).village_name is None


def test_every_concern_has_a_chinese_label():
    assert [concern.label for concern in Concern][:3] == ["监护缺失", "监护侵害/家庭暴力", "性侵害"]
    assert all(concern.label for concern in Concern)
