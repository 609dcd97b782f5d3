import logging
import time
from datetime import timedelta

import pytest

from shared.auth.tokens import InvalidToken, issue_token, read_token
from shared.domain.access import Role
from shared.logs import PersonalDataFilter, scrub
from tests.auth import JWT_SECRET
from tests.factories import VALID_CHILD_ID


def test_a_token_round_trips_and_a_tampered_or_expired_one_is_refused():
    good = issue_token(JWT_SECRET, "s-1", Role.STATION, "140724104", timedelta(minutes=5))
    assert read_token(JWT_SECRET, good).scope == "140724104"
    header, claims, signature = good.split(".")
    with pytest.raises(InvalidToken):
        read_token(JWT_SECRET, f"{header}.{claims}.{signature[::-1]}")
    with pytest.raises(InvalidToken):
        read_token("another-secret-of-sufficient-length-0123456789", good)
    expired = issue_token(JWT_SECRET, "s-1", Role.STATION, "140724104", timedelta(minutes=-1))
    with pytest.raises(InvalidToken):
        read_token(JWT_SECRET, expired)


def test_a_token_read_before_is_refused_once_it_expires(monkeypatch):
    token = issue_token(JWT_SECRET, "s-2", Role.STATION, "140724104", timedelta(minutes=5))
    assert read_token(JWT_SECRET, token).subject == "s-2"  # checked, and remembered
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(InvalidToken, match="ExpiredSignatureError"):
        read_token(JWT_SECRET, token)


def test_id_numbers_and_phones_are_scrubbed_from_log_lines(caplog):
    assert scrub(f"child {VALID_CHILD_ID} reporter 13912345678") == "child 140724********0029 reporter 139****5678"
    logger = logging.getLogger("test.scrub")
    logger.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.INFO):
        logger.info("looked up %s", VALID_CHILD_ID)
    assert VALID_CHILD_ID not in caplog.text
    assert "140724********0029" in caplog.text
