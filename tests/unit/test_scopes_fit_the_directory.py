"""A token's scope must name what the directory has, for its role: a station its own code, a centre an existing
county, a committee or an operator an existing province, city or county, an administrator nothing. The check is
an in-memory lookup, reloaded at once (at most once a second) when a scope is not found."""

import pytest

from services.notification.domain.receivers import ReceiverKind, known_scopes
from shared.auth.scopes import ScopeKeeper
from shared.domain.access import KnownScopes, Principal, Role, scope_fits
from shared.domain.problems import NotReady

DIRECTORY = KnownScopes(
    stations=frozenset({"140724104", "140725103"}),
    areas=frozenset({"14", "1407", "140724", "140725", "44", "4420", "140724104", "140724104001"}),
)


def fits(role: Role, scope: str, directory=DIRECTORY) -> bool:
    return scope_fits(Principal("someone", role, scope), directory)


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.STATION, "140724104"),
        (Role.COUNTY_CENTRE, "140724"),
        (Role.COMMITTEE, "14"),
        (Role.COMMITTEE, "1407"),
        (Role.COMMITTEE, "140724"),
        (Role.OPERATOR, "1407"),
        (Role.OPERATOR, "4420"),
        (Role.ADMIN, ""),
    ],
)
def test_a_scope_the_directory_has_fits(role, scope):
    assert fits(role, scope)


@pytest.mark.parametrize("role", [Role.STATION, Role.COUNTY_CENTRE, Role.COMMITTEE, Role.OPERATOR])
@pytest.mark.parametrize(
    "scope",
    ["", "1", "14072", "1407241040", "140724104001", "140799", "999999999", "99", "14 07", "１４０７"],
)
def test_an_empty_malformed_or_unknown_scope_never_fits(role, scope):
    assert not fits(role, scope)


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.STATION, "140724"),  # a county is not a station
        (Role.STATION, "1407"),
        (Role.COUNTY_CENTRE, "140724104"),  # a station's code is not a county
        (Role.COUNTY_CENTRE, "1407"),  # a city is not a county
        (Role.COMMITTEE, "140724104"),  # an area is a province, city or county, never a township
        (Role.OPERATOR, "140724104"),
        (Role.ADMIN, "1407"),  # an administrator's token names no area
    ],
)
def test_someone_elses_kind_of_code_does_not_fit(role, scope):
    assert not fits(role, scope)


def test_a_township_without_a_station_is_not_a_stations_scope():
    assert not fits(Role.STATION, "140724105", KnownScopes(frozenset({"140724104"}), frozenset({"140724105"})))


def test_notification_knows_the_areas_its_stations_centres_and_committees_lie_in():
    directory = known_scopes(
        [
            ("140724104", ReceiverKind.STATION),
            ("140725", ReceiverKind.COUNTY_CENTRE),
            ("4420", ReceiverKind.COMMITTEE),
            ("hotline", ReceiverKind.HOTLINE),
            ("jz12345", ReceiverKind.PLATFORM),
        ]
    )
    assert directory.is_station("140724104") and not directory.is_station("140725")
    assert all(directory.is_area(code) for code in ("14", "1407", "140724", "140725", "44", "4420"))
    assert directory.is_county("140725") and not directory.is_county("4420")
    assert not directory.is_area("hotline") and not directory.is_area("45")


async def test_an_unknown_scope_reloads_the_directory_at_most_once_a_while():
    loads = []

    async def load() -> KnownScopes:
        loads.append(1)
        return KnownScopes(frozenset({"140724104"}))

    keeper = ScopeKeeper(load, recheck_after=3600)
    assert await keeper.fits(Principal("s", Role.STATION, "140724104"))  # never loaded: loaded on the miss
    for _ in range(100):
        assert not await keeper.fits(Principal("s", Role.STATION, "140725103"))
    assert len(loads) == 1


async def test_a_station_added_a_moment_ago_is_found_after_a_reload():
    stations: set[str] = set()

    async def load() -> KnownScopes:
        return KnownScopes(frozenset(stations))

    keeper = ScopeKeeper(load, recheck_after=0)
    await keeper.refresh()
    station = Principal("s", Role.STATION, "140724104")
    assert not await keeper.fits(station)
    stations.add("140724104")
    assert await keeper.fits(station)


async def test_while_the_directory_was_never_loaded_a_scoped_caller_is_told_to_come_back():
    async def never_loaded() -> None:
        return None

    keeper = ScopeKeeper(never_loaded)
    with pytest.raises(NotReady):
        await keeper.fits(Principal("o", Role.OPERATOR, "1407"))
    assert await keeper.fits(Principal("a", Role.ADMIN, ""))  # an administrator's empty scope needs no directory
