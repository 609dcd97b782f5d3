"""The stations directory on a real database: the admin API (who may write, what a bad station gets,
what is stored) and the CSV import, which stores every row or none."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from deploy.local.process import REPO_ROOT
from services.referral.adapters.division_loading import load_divisions
from services.referral.app import MIGRATIONS, create_app
from services.referral.application.station_import import InvalidStations, import_stations
from services.referral.entrypoints.http import stations_api
from services.referral.settings import ReferralSettings
from shared.database import apply_migrations
from shared.domain.access import Role
from tests.auth import bearer, service_settings
from tests.integration.conftest import serving

ADMIN = bearer(Role.ADMIN, subject="admin-1")
DEMO_STATIONS = REPO_ROOT / "reference" / "demo_stations.csv"
# A small tree: with any divisions loaded, a station's code must be a township and a centre's a county.
DIVISIONS = [
    ("14", "山西省", None, "province"),
    ("1407", "晋中市", "14", "city"),
    ("140724", "昔阳县", "1407", "county"),
    ("140725", "寿阳县", "1407", "county"),
    ("140724104", "大寨镇", "140724", "township"),
    ("140724200", "东冶头镇", "140724", "township"),
    ("140725100", "朝阳镇", "140725", "township"),
    ("140725101", "南燕竹镇", "140725", "township"),
    ("140725103", "平头镇", "140725", "township"),
]


def with_stations_router(settings: ReferralSettings):
    app = create_app(settings)
    if not any(getattr(route, "path", None) == "/v1/stations/{code}" for route in app.routes):
        app.include_router(stations_api.router)  # until app.py mounts it
    return app


async def referral_database(new_database, prefix: str, divisions: list[tuple] = DIVISIONS) -> str:
    url = await new_database(prefix)
    apply_migrations(url, MIGRATIONS)
    connection = await asyncpg.connect(url)
    try:
        columns = ["code", "name", "parent_code", "level"]
        await connection.copy_records_to_table("divisions", records=divisions, columns=columns)
    finally:
        await connection.close()
    return url


@pytest.fixture(scope="module")
async def database(new_database) -> str:
    return await referral_database(new_database, "stations")


@pytest.fixture(scope="module")
async def client(infrastructure, database):
    settings = service_settings(ReferralSettings, database, infrastructure.kafka_bootstrap_servers)
    async with serving(with_stations_router(settings), headers=ADMIN) as client:
        yield client


async def stored(database: str, code: str, table: str = "stations", key: str = "code") -> asyncpg.Record | None:
    connection = await asyncpg.connect(database)
    try:
        return await connection.fetchrow(f"SELECT * FROM {table} WHERE {key} = $1", code)
    finally:
        await connection.close()


def run_import(database_url: str, csv_path: Path, command: str = "import_stations") -> subprocess.CompletedProcess:
    """One of referral's import commands on a file, as ./run runs it."""
    return subprocess.run(
        [sys.executable, "-m", f"services.referral.entrypoints.cli.{command}", str(csv_path)],
        cwd=REPO_ROOT,
        env=os.environ | {"REFERRAL_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def station_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "station",
        "name": "昔阳县大寨镇未成年人保护工作站",
        "county_code": "140724",
        "contact_name": "李督导",
        "phone": "0354-4123456",
        "sms_phone": "13800138000",
        "email": "dazhai@example.cn",
        "webhook_url": "https://hooks.example.cn/dazhai",
    }
    return body | overrides


async def test_an_admin_creates_updates_and_deactivates_a_station(client, database):
    created = await client.put("/v1/stations/140724104", json=station_body())
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "140724104"
    assert created.json()["active"] is True

    updated = await client.put("/v1/stations/140724104", json=station_body(sms_phone="13900139000", code="140724104"))
    assert updated.status_code == 200, updated.text
    assert updated.json()["sms_phone"] == "13900139000"

    deactivated = await client.put("/v1/stations/140724104", json=station_body(active=False))
    assert deactivated.status_code == 200
    row = await stored(database, "140724104")
    assert (row["active"], row["contact_name"], row["sms_phone"]) == (False, "李督导", "13800138000")
    shown = await client.get("/v1/stations/140724104", headers=bearer(Role.STATION, "140724104"))
    assert shown.status_code == 200
    assert shown.json()["active"] is False


async def test_any_caller_lists_stations_by_county_kind_and_state(client):
    for code, body in (
        ("140725", station_body(kind="county_centre", county_code="140725", name="寿阳县中心")),
        ("140725103", station_body(county_code="140725", name="寿阳县平头镇工作站")),
        ("140725100", station_body(county_code="140725", name="寿阳县朝阳镇工作站", active=False)),
    ):
        assert (await client.put(f"/v1/stations/{code}", json=body)).status_code == 201
    operator = bearer(Role.OPERATOR)

    async def codes(**params) -> list[str]:
        response = await client.get("/v1/stations", params=params, headers=operator)
        assert response.status_code == 200, response.text
        return [station["code"] for station in response.json()]

    assert await codes(county="140725") == ["140725", "140725100", "140725103"]
    assert await codes(county="140725", kind="station", active="true") == ["140725103"]
    assert await codes(county="140725", active="false") == ["140725100"]
    assert await codes(county="140725", kind="county_centre") == ["140725"]
    assert await codes(county="140725", limit=1, after="140725") == ["140725100"]
    assert (await client.get("/v1/stations", params={"county": "1407"})).status_code == 422


async def test_an_unknown_station_is_404(client):
    assert (await client.get("/v1/stations/140725999")).status_code == 404


async def test_only_an_admin_may_write(client, database):
    for role, scope in ((Role.OPERATOR, ""), (Role.STATION, "140725103"), (Role.COUNTY_CENTRE, "140725")):
        response = await client.put(
            "/v1/stations/140725103", json=station_body(county_code="140725"), headers=bearer(role, scope)
        )
        assert response.status_code == 403, role
    bad = await client.put("/v1/stations/1", json={"name": "X"}, headers=bearer(Role.OPERATOR))
    assert bad.status_code == 403  # refused before the body is looked at
    for request in (
        client.build_request("PUT", "/v1/stations/140725103", json=station_body(county_code="140725")),
        client.build_request("GET", "/v1/stations"),
        client.build_request("GET", "/v1/stations/140725103"),
    ):
        del request.headers["Authorization"]
        assert (await client.send(request)).status_code == 401, request.url
    assert (await client.get("/v1/stations", headers={"Authorization": "Bearer nonsense"})).status_code == 401


@pytest.mark.parametrize(
    ("code", "body", "expected"),
    [
        (
            "140724104",
            station_body(name="X", phone="12345", sms_phone="4123456", email="x", webhook_url="ftp://x", colour="red"),
            {
                "name": "name_length",
                "phone": "phone_format",
                "sms_phone": "phone_format",
                "email": "email_format",
                "webhook_url": "url_format",
                "colour": "extra_forbidden",
            },
        ),
        ("1407241", station_body(), {"code": "string_pattern_mismatch"}),
        ("140724", station_body(), {"code": "code_length_for_kind"}),
        ("140724104", station_body(county_code="140725"), {"county_code": "county_code_mismatch"}),
        ("140724104", station_body(code="140724200"), {"code": "code_mismatch"}),
        ("140724999", station_body(), {"code": "unknown_division"}),
        ("140799", station_body(kind="county_centre", county_code="140799"), {"code": "unknown_division"}),
        ("140724104", {"kind": "station"}, {"name": "missing", "county_code": "missing"}),
        ("140724104", station_body(active="false"), {"active": "bool_type"}),  # a string is not a JSON boolean
    ],
)
async def test_a_bad_station_is_422_naming_its_fields_and_nothing_is_stored(client, database, code, body, expected):
    before = await stored(database, code)
    response = await client.put(f"/v1/stations/{code}", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert {error["field"]: error["code"] for error in errors} == expected
    assert all(error["message"] for error in errors)
    assert not {"12345", "4123456", "ftp://x"} & {str(v) for e in errors for v in e.values()}
    assert await stored(database, code) == before


BAD_CSV = """code,kind,name,county_code,phone,email,webhook_url,sms_phone
140724,county_centre,昔阳县未成年人救助保护中心,140724,,,,
140724104,station,昔阳县大寨镇未成年人保护工作站,140724,0354-4123456,,,1380013800
140724999,station,昔阳县某镇未成年人保护工作站,140724,,,,
"""


async def test_a_bad_csv_stores_nothing_and_names_line_and_field(new_database, tmp_path):
    url = await referral_database(new_database, "stations_import")
    csv_path = tmp_path / "stations.csv"
    csv_path.write_text(BAD_CSV, encoding="utf-8")

    with pytest.raises(InvalidStations) as raised:
        await import_stations(url, csv_path)
    assert [(p.line, p.problem.field, p.problem.code) for p in raised.value.problems] == [
        (3, "sms_phone", "phone_format"),
        (4, "code", "unknown_division"),
    ]
    assert await stored(url, "140724") is None  # the good row was not stored either

    command = run_import(url, csv_path)
    assert command.returncode != 0
    assert "line 3, field sms_phone" in command.stderr
    assert "line 4, field code" in command.stderr
    assert "1380013800" not in command.stderr + command.stdout
    assert await stored(url, "140724") is None


async def test_the_demo_stations_import_without_and_with_the_division_tree(new_database):
    url = await referral_database(new_database, "stations_demo", divisions=[])
    assert await import_stations(url, DEMO_STATIONS) == 165
    dist = subprocess.run(
        ["bash", "deploy/local/fetch-divisions.sh"], cwd=REPO_ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    await load_divisions(url, Path(dist))
    command = run_import(url, DEMO_STATIONS)  # as ./run does it the second time
    assert command.returncode == 0, command.stderr
    assert "loaded 165 stations and centres" in command.stdout
    row = await stored(url, "442000")
    assert (row["kind"], row["name"]) == ("county_centre", "中山市未成年人救助保护中心")


async def test_a_csv_without_the_contact_columns_keeps_what_an_admin_entered(client, database, tmp_path):
    await client.put("/v1/stations/140725101", json=station_body(county_code="140725", active=False))
    csv_path = tmp_path / "stations.csv"
    csv_path.write_text("code,kind,name,county_code\n140725101,station,寿阳县南燕竹镇工作站,140725\n", encoding="utf-8")
    assert await import_stations(database, csv_path) == 1
    row = await stored(database, "140725101")
    assert (row["name"], row["contact_name"], row["sms_phone"], row["active"]) == (
        "寿阳县南燕竹镇工作站",
        "李督导",
        "13800138000",
        False,
    )
