"""The demo directory (reference/demo_stations.csv and demo_committees.csv) as a scope directory, for a
notification service under test that is sent no directory events: ./run's notification learns the same stations
and areas from referral's directory events and the committees it imports."""

import csv
from pathlib import Path

from fastapi import FastAPI

from services.notification.domain.receivers import ReceiverKind, known_scopes
from shared.auth.scopes import ScopeKeeper
from shared.domain.access import KnownScopes

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def demo_directory() -> KnownScopes:
    with (REFERENCE / "demo_stations.csv").open(encoding="utf-8") as stations:
        entries = [(row["code"], ReceiverKind(row["kind"])) for row in csv.DictReader(stations)]
    with (REFERENCE / "demo_committees.csv").open(encoding="utf-8") as committees:
        entries += [(row["code"], ReceiverKind.COMMITTEE) for row in csv.DictReader(committees)]
    return known_scopes(entries)


class EitherDirectory:
    def __init__(self, *directories) -> None:
        self.directories = directories

    def is_station(self, code: str) -> bool:
        return any(directory.is_station(code) for directory in self.directories)

    def is_county(self, code: str) -> bool:
        return any(directory.is_county(code) for directory in self.directories)

    def is_area(self, code: str) -> bool:
        return any(directory.is_area(code) for directory in self.directories)

    def is_village(self, code: str) -> bool:
        return any(directory.is_village(code) for directory in self.directories)


def knowing_the_demo_directory(app: FastAPI) -> FastAPI:
    """The app's scope directory, and the demo directory besides."""
    own: ScopeKeeper = app.state.scopes
    demo = demo_directory()

    async def load() -> EitherDirectory:
        await own.refresh()
        return EitherDirectory(own.current, demo)

    app.state.scopes = ScopeKeeper(load)
    return app
