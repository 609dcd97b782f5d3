"""Temporary guardianship (临时监护) by the county centre, on storage kept in memory: started in any open status
(ending monitoring), decided not needed (monitoring goes on), ended after a start; a referral in guardianship may
still be closed by its holder. And the hotline's case shows 监护监测中 while monitoring lasts, with words for every
new step."""

from datetime import timedelta
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.intake.domain.case_progress import CaseStatus, action_change
from services.intake.domain.timeline import WHAT_WORDS
from services.referral.domain import guardianship
from services.referral.entrypoints.http.action_requests import GuardianshipEnded, GuardianshipStarted
from shared.domain.monitoring import Assessment, MonitoringEnd
from shared.domain.outcomes import Outcome
from shared.domain.problems import Conflict, FieldProblems, Forbidden
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events import ReferralActionRecorded, utcnow
from tests.unit.test_monitoring_rules import CENTRE, acknowledged, act, assessing, last_action, storage
from tests.unit.test_referral_use_cases import DAZHAI_STATION

__all__ = ["act", "acknowledged", "storage"]  # the fixtures


def starting(at=None, placement="昔阳县儿童福利院"):
    return lambda r, c: guardianship.started(r, c, guardianship.Placement(placement, "父母均被羁押", at))


def not_needed(referral, context):
    return guardianship.not_needed(referral, context, "亲属可照料")


def ending(at=None):
    return lambda referral, context: guardianship.ended(referral, context, at, "父亲已返家")


async def test_the_centre_starts_guardianship_which_ends_monitoring(storage, act, acknowledged):
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.DANGEROUS))
    with pytest.raises(Forbidden):
        await act(acknowledged, DAZHAI_STATION, starting())
    referral = await act(acknowledged, CENTRE, starting())
    assert referral.status is ReferralStatus.ACKNOWLEDGED and referral.guardianship.running
    assert referral.guardianship.guardianship_placement == "昔阳县儿童福利院"
    assert referral.monitoring.monitoring_end_reason is MonitoringEnd.GUARDIANSHIP
    event = last_action(storage)
    assert (event.action, event.detail["monitoring"], event.detail["reason"]) == (
        ReferralAction.GUARDIANSHIP_STARTED,
        "ended",
        "guardianship",
    )
    assert "父母" not in str(event.detail)  # the reason is in the history only
    with pytest.raises(Conflict):
        await act(acknowledged, CENTRE, starting())
    with pytest.raises(Conflict):
        await act(acknowledged, CENTRE, not_needed)


async def test_not_needed_keeps_the_child_under_monitoring(storage, act, acknowledged):
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.DANGEROUS))
    referral = await act(acknowledged, CENTRE, not_needed)
    assert referral.status is ReferralStatus.MONITORING and referral.guardianship.guardianship_decided_at
    assert last_action(storage).action is ReferralAction.GUARDIANSHIP_NOT_NEEDED


async def test_guardianship_ends_after_a_start_and_not_before_it(storage, act, acknowledged):
    with pytest.raises(Conflict):
        await act(acknowledged, CENTRE, ending())
    started = await act(acknowledged, CENTRE, starting(utcnow() - timedelta(days=2)))
    assert started.status is ReferralStatus.ACKNOWLEDGED  # not under monitoring: the status stays
    with pytest.raises(FieldProblems) as refused:
        await act(acknowledged, CENTRE, ending(utcnow() - timedelta(days=3)))
    assert [problem.field for problem in refused.value.problems] == ["at"]
    ended = await act(acknowledged, CENTRE, ending())
    assert not ended.guardianship.running and ended.guardianship.guardianship_placement == "昔阳县儿童福利院"
    with pytest.raises(Conflict):
        await act(acknowledged, CENTRE, ending())


async def test_a_referral_in_guardianship_is_closed_by_its_holder_and_ended_after(storage, act, acknowledged):
    await act(acknowledged, CENTRE, starting())
    closed = await act(acknowledged, DAZHAI_STATION, lambda r, c: r.close(c, Outcome.RESOLVED))
    assert closed.status is ReferralStatus.CLOSED and closed.guardianship.running
    with pytest.raises(Conflict):
        await act(acknowledged, CENTRE, starting())
    assert not (await act(acknowledged, CENTRE, ending())).guardianship.running


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"placement": "", "reason": "父母均被羁押"}, "placement"),
        ({"placement": "福" * 101, "reason": "父母均被羁押"}, "placement"),
        ({"placement": "福利院", "reason": "因" * 501}, "reason"),
        ({"placement": "福利院", "reason": "  "}, "reason"),
        ({"placement": "福利院", "reason": "羁押", "at": "9999-01-01T00:00:00"}, "at"),
        ({"placement": ["福利院"], "reason": "羁押"}, "placement"),
        ({"placement": "福利院", "reason": "羁押", "ended": True}, "ended"),
    ],
)
def test_a_start_is_checked_field_by_field(body, field):
    with pytest.raises(ValidationError) as refused:
        GuardianshipStarted.model_validate(body)
    assert [error["loc"][0] for error in refused.value.errors()] == [field]
    with pytest.raises(ValidationError):
        GuardianshipEnded.model_validate({"at": "0001-01-01T00:00:00", "reason": "返家"})


def _event(action: ReferralAction, status: ReferralStatus, **detail) -> ReferralActionRecorded:
    return ReferralActionRecorded(
        referral_id=uuid4(),
        report_id=uuid4(),
        version=3,
        action=action,
        actor="station:140724104",
        at=utcnow(),
        status=status,
        assignee_code="140724104",
        priority="P2",
        detail=detail,
    )


def test_the_hotline_sees_monitoring_and_then_an_assessed_case_again():
    monitored = _event(ReferralAction.ASSESSMENT_RECORDED, ReferralStatus.MONITORING, level="fair")
    assert action_change(monitored).status is CaseStatus.MONITORING
    helper = _event(ReferralAction.HELPER_NAMED, ReferralStatus.MONITORING)
    assert action_change(helper).status is CaseStatus.MONITORING
    turned_18 = _event(ReferralAction.MONITORING_ENDED, ReferralStatus.ACKNOWLEDGED, monitoring="ended")
    assert action_change(turned_18).status is CaseStatus.ASSESSED
    moved = _event(ReferralAction.MONITORING_ENDED, ReferralStatus.ASSIGNED, monitoring="ended")
    assert action_change(moved).status is CaseStatus.ROUTED
    kept = _event(ReferralAction.GUARDIANSHIP_STARTED, ReferralStatus.ACKNOWLEDGED)
    assert action_change(kept).status is None


def test_every_action_has_words_on_the_timeline():
    assert all(action in WHAT_WORDS for action in ReferralAction)
