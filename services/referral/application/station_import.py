"""Imports stations and centres from a CSV file, adding new ones and updating those already known. Every
row is checked first, by the same rules as the admin API; one bad row and nothing is stored. A column the
file leaves out keeps what the database has."""

from pathlib import Path

from services.referral.adapters.station_csv import LineProblem, read_stations
from services.referral.adapters.stations_repository import PostgresStations
from services.referral.domain.station_directory import station_problems
from shared.database import one_transaction


class InvalidStations(Exception):
    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


async def import_stations(database_url: str, csv_path: Path) -> int:
    stations, problems = read_stations(csv_path)
    async with one_transaction(database_url) as connection:
        directory = PostgresStations(connection)
        levels = await directory.division_levels([s.code for _, s in stations])
        for line, station in stations:
            problems += [LineProblem(line, problem) for problem in station_problems(station, levels)]
        if problems:
            raise InvalidStations(sorted(problems, key=lambda p: p.line))
        for _, station in stations:
            await directory.save(station)
    return len(stations)
