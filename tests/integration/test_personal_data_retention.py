"""The personal data of cases closed longer than the retention is removed, on real PostgreSQL, in intake and in
referral: the child's identity, addresses and narrative, the reporter's identity, notes; what the figures need
stays, recent and open cases are untouched, and the command says how many went."""

import asyncio
import json
import os
import subprocess
import sys
import uuid

import pytest

from deploy.local.process import REPO_ROOT
from services.intake.adapters.anonymisation import anonymise_closed_reports as anonymise_intake
from services.referral.adapters.anonymisation import anonymise_closed_reports as anonymise_referral
from shared.database import create_pool
from shared.domain.anonymisation import REMOVED_TEXT

CHILD = {"name": "张小明", "id_number": "14072420180315001X", "address": "大寨村3号", "division_code": "140724104"}
NARRATIVE = "张小明的父亲长期外出，邻居王某说……"


@pytest.fixture
async def intake_pool(intake_database):
    url = await intake_database()
    pool = await create_pool(url)
    yield url, pool
    await pool.close()


@pytest.fixture
async def referral_pool(referral_database):
    pool = await create_pool(await referral_database())
    yield pool
    await pool.close()


async def intake_case(pool, closed: str | None) -> uuid.UUID:
    """A report and its case, closed that long ago (None: still open); a callback with notes."""
    report_id, referral_id = uuid.uuid4(), uuid.uuid4()
    await pool.execute(
        "INSERT INTO reports (report_id, received_at, division_code, address, concerns, immediate_danger, "
        "mandatory_report, narrative, child, reporter, reporter_identity, reporter_phone_hash, referral_id) "
        "VALUES ($1, now() - interval '7 years', '140724104', '大寨村3号', '{neglect}', false, true, $2, $3, "
        "'{\"mandatory_reporter\": true}', '\\x01', 'hash', $4)",
        report_id,
        NARRATIVE,
        json.dumps(CHILD, ensure_ascii=False),
        referral_id,
    )
    await pool.execute(
        "INSERT INTO cases (referral_id, report_id, version, status, priority, closed_at) "
        "VALUES ($1, $2, 5, $3, 'P2', now() - $4::text::interval)",
        referral_id,
        report_id,
        "closed" if closed else "acknowledged",
        closed or "0 days",
    )
    await pool.execute(
        "INSERT INTO callbacks (callback_id, report_id, reached, notes, at, recorded_by) "
        "VALUES ($1, $2, true, '张小明的母亲说……', now(), 'operator:1407')",
        uuid.uuid4(),
        report_id,
    )
    return report_id


async def test_intake_removes_what_identifies_the_child_and_reporter_of_long_closed_cases(intake_pool):
    _, pool = intake_pool
    old = [await intake_case(pool, "6 years") for _ in range(3)]
    recent, still_open = await intake_case(pool, "4 years"), await intake_case(pool, None)
    assert await anonymise_intake(pool, 5, 2) == 3
    for report_id in old:
        row = await pool.fetchrow("SELECT * FROM reports WHERE report_id = $1", report_id)
        child = json.loads(row["child"])
        assert child == {"division_code": "140724104", "age": 1}  # the age on the report's day, 7 years ago
        assert row["address"] is None and row["narrative"] == REMOVED_TEXT and row["anonymised_at"]
        assert row["reporter_identity"] is None and row["reporter_phone_hash"] is None
        assert await pool.fetchval("SELECT notes FROM callbacks WHERE report_id = $1", report_id) is None
    for report_id in (recent, still_open):
        row = await pool.fetchrow("SELECT child, narrative, anonymised_at FROM reports WHERE report_id = $1", report_id)
        assert json.loads(row["child"])["name"] == "张小明" and row["narrative"] == NARRATIVE
    assert await anonymise_intake(pool, 5, 2) == 0


async def referral_case(pool, closed: str) -> uuid.UUID:
    referral_id, report_id = uuid.uuid4(), uuid.uuid4()
    report = {"report_id": str(report_id), "child": CHILD, "narrative": NARRATIVE, "concerns": ["neglect"]}
    report |= {"reporter": {}, "reporter_identity": {"name": "王老师", "phone": "13900000000"}}
    await pool.execute(
        "INSERT INTO referrals (referral_id, report_id, status, assignee_code, priority, police_required, "
        "routing_reason, division_code, child_key, closed_at, received_at) "
        "VALUES ($1, $2, 'closed', '140724104', 'P2', false, 'division_code', '140724104', 'key', "
        "now() - $3::text::interval, now() - interval '7 years')",
        referral_id,
        report_id,
        closed,
    )
    await pool.execute(
        "INSERT INTO referral_reports (report_id, referral_id, child_key, received_at, linked, report) "
        "VALUES ($1, $2, 'key', now() - interval '7 years', false, $3)",
        report_id,
        referral_id,
        json.dumps(report, ensure_ascii=False),
    )
    await pool.execute(
        "INSERT INTO referral_history (referral_id, action, actor, detail) "
        'VALUES ($1, \'home_visit_recorded\', \'station:140724104\', \'{"notes": "见到张小明", "by": "李娜"}\')',
        referral_id,
    )
    return referral_id


async def test_referral_removes_the_report_identity_the_linking_key_and_the_notes(referral_pool):
    pool = referral_pool
    old, recent = await referral_case(pool, "6 years"), await referral_case(pool, "2 years")
    assert await anonymise_referral(pool, 5, 10) == 1
    row = await pool.fetchrow("SELECT report, child_key FROM referral_reports WHERE referral_id = $1", old)
    report = json.loads(row["report"])
    assert row["child_key"] is None and report["narrative"] == REMOVED_TEXT and report["reporter_identity"] is None
    assert "张小明" not in row["report"] and report["child"]["age"] == 1
    assert await pool.fetchval("SELECT child_key FROM referrals WHERE referral_id = $1", old) is None
    history = json.loads(await pool.fetchval("SELECT detail FROM referral_history WHERE referral_id = $1", old))
    assert history == {"by": "李娜"}
    kept = await pool.fetchval("SELECT report FROM referral_reports WHERE referral_id = $1", recent)
    assert "张小明" in kept


async def test_the_command_anonymises_after_the_years_its_setting_says(intake_pool):
    url, pool = intake_pool
    report_id = await intake_case(pool, "3 years")
    environment = os.environ | {"INTAKE_DATABASE_URL": url, "INTAKE_PERSONAL_DATA_RETENTION_YEARS": "2"}
    command = [sys.executable, "-m", "services.intake.entrypoints.cli.retention"]
    run = await asyncio.to_thread(
        subprocess.run, command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "anonymised 1 report(s) of cases closed more than 2 years ago" in run.stdout + run.stderr
    assert await pool.fetchval("SELECT anonymised_at FROM reports WHERE report_id = $1", report_id)
