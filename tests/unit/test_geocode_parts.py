"""The geocoder's pure parts: house-number tags, interpolation, estimates, names, communes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtkaart._errors import BuurtkaartError, GeocodeError
from buurtkaart.core.address import (
    PRECISIONS,
    Commune,
    GeocodeIndex,
    Interpolation,
    commune_keys,
    geocode_offline,
    parse_address,
    parse_housenumbers,
    street_key,
)
from buurtkaart.core.address.numbers import interpolate
from buurtkaart.core.geo import distance_m


@pytest.mark.parametrize(("tag", "keys"), [
    ("12", ["12"]), ("12A", ["12a"]), ("12 bis", ["12bis"]), ("9Bis", ["9bis"]),
    ("17-19", ["17", "19"]), ("63-67", ["63", "65", "67"]), ("32-34", ["32", "34"]),
    ("610/640", [str(n) for n in range(610, 641, 2)]), ("1-99", ["1", "99"]),
    ("2;4", ["2", "4"]), ("124;128", ["124", "128"]),
    ("n° 16 & n°18", ["16", "18"]), ("412 G", ["412g"]), ("", []), ("International House", []),
])
def test_housenumber_tags(tag: str, keys: list[str]) -> None:
    assert parse_housenumbers(tag) == keys


@pytest.mark.parametrize(("a", "b"), [
    ("Gemeenteplein", "Gemeenteplaats"), ("Place Communale", "Plein Communale"),
    ("Rue Haute", "straat haute"), ("Av. Louise", "Laan Louise"),
    ("Chée de Gand", "Steenweg de Gand"), ("Sint-Mariastr.", "Sint-Mariastraat"),
])
def test_street_key_synonyms(a: str, b: str) -> None:
    assert street_key(a) == street_key(b)


def test_commune_keys_common_forms() -> None:
    keys = commune_keys("Molenbeek-Saint-Jean - Sint-Jans-Molenbeek")
    assert {"molenbeek", "molenbeek saint jean", "sint jans molenbeek"} <= set(keys)
    assert "saint" not in keys and "jans" not in keys
    assert {"schaerbeek", "schaarbeek"} <= set(commune_keys("Schaerbeek - Schaarbeek"))


@pytest.mark.parametrize(("text", "street", "number", "postcode", "city"), [
    ("Rue Montoyer 17, 1000 Bruxelles", "Rue Montoyer", "17", "1000", "Bruxelles"),
    ("Kerkstraat 5, Schaarbeek", "Kerkstraat", "5", None, "Schaarbeek"),
    ("Rue Haute 12 bis", "Rue Haute", "12bis", None, ""),
    ("Rue X 3 1080 Molenbeek", "Rue X", "3", "1080", "Molenbeek"),
    ("Gemeenteplein, Molenbeek", "Gemeenteplein", None, None, "Molenbeek"),
])
def test_parse_city(text: str, street: str, number: str | None, postcode: str | None,
                    city: str) -> None:
    p = parse_address(text)
    assert (p.street, p.number, p.postcode, p.city) == (street, number, postcode, city)


def test_interpolate_along_the_line() -> None:
    line = [(50.0, 4.0), (50.0, 4.001), (50.0, 4.002)]  # two equal segments
    assert interpolate(line, [(0, 1), (2, 9)], 2, 5) == pytest.approx((50.0, 4.001))
    assert interpolate(line, [(0, 1), (2, 9)], 2, 3) == pytest.approx((50.0, 4.0005))
    assert interpolate(line, [(0, 1), (2, 9)], 2, 4) is None  # even number on an odd line
    assert interpolate(line, [(0, 1), (2, 9)], 2, 11) is None  # beyond the ends
    assert interpolate(line, [(0, 10), (1, 20), (2, 22)], 1, 21) == pytest.approx(
        (50.0, 4.0015))  # middle anchor


@pytest.fixture
def toy() -> GeocodeIndex:
    """Two communes, one street in each with the same name, numbers and a line."""
    idx = GeocodeIndex(source="toy")
    a = idx.add_commune(Commune("Alpha - Alfa", "1", ("1001",)), "Alpha", "Alfa")
    b = idx.add_commune(Commune("Beta", "2", ("1002",)), "Beta")
    idx.add_street("Rue de l'Église - Kerkstraat", 50.0, 4.0, (a,), {a: (50.0, 4.0)}, 10)
    idx.add_street("Kerkstraat - Rue de l'Église", 51.0, 5.0, (b,), {b: (51.0, 5.0)}, 5)
    for n in (2, 6, 10):
        idx.add_number("Rue de l'Église - Kerkstraat", str(n), 50.0, 4.0 + n / 10000, "", a)
    idx.add_number("Rue de l'Église - Kerkstraat", "17-21", 50.001, 4.002, "1001", a)
    idx.add_number("Kerkstraat - Rue de l'Église", "3", 51.0, 5.0003, "", b)
    idx.add_interpolation(Interpolation([(50.002, 4.0), (50.002, 4.004)], [(0, 31), (1, 71)],
                                        2, a, "Rue de l'Église - Kerkstraat"))
    return idx


@pytest.mark.parametrize(("query", "precision", "lat", "lon"), [
    ("Kerkstraat 6, Alfa", "housenumber", 50.0, 4.0006),
    ("Kerkstraat 19, 1001", "housenumber", 50.001, 4.002),  # inside the range 17-21
    ("Rue de l'Eglise 19 B, Alpha", "housenumber", 50.001, 4.002),  # suffix: its base number
    ("Kerkstraat 51, Alpha", "interpolated", 50.002, 4.002),
    ("Kerkstraat 4, Alpha", "estimated", 50.0, 4.0004),  # between 2 and 6, same side
    ("Kerkstraat 3", "housenumber", 51.0, 5.0003),  # only Beta has a 3: not ambiguous
    ("Kerkstraat 999, Beta", "street", 51.0, 5.0),
])
def test_precision_levels(toy: GeocodeIndex, query: str, precision: str, lat: float,
                          lon: float) -> None:
    hit = geocode_offline(query, toy)
    assert hit.precision == precision, hit
    assert distance_m(hit.lat, hit.lon, lat, lon) < 1.0


def test_ambiguous_street_lists_candidates_with_commune(toy: GeocodeIndex) -> None:
    with pytest.raises(GeocodeError) as info:
        geocode_offline("Kerkstraat", toy)
    err = info.value
    assert err.reason == "ambiguous" and "add the commune or postcode" in str(err)
    assert err.candidates == ("Rue de l'Église - Kerkstraat (Alpha - Alfa)",
                              "Kerkstraat - Rue de l'Église (Beta)")
    assert geocode_offline("Kerkstraat, Beta", toy).commune == "Beta"
    assert geocode_offline("Kerkstraat, 1001", toy).commune == "Alpha - Alfa"


def test_typos_match_but_inventions_do_not(toy: GeocodeIndex) -> None:
    assert geocode_offline("Kerkstrat, Beta", toy).label == "Kerkstraat - Rue de l'Église"
    with pytest.raises(GeocodeError) as info:
        geocode_offline("Kurkstruut 4", toy)
    assert info.value.reason == "not_found"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_housenumber_tags_never_crash(tag: str) -> None:
    for key in parse_housenumbers(tag):
        assert key[0].isdigit()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["", ", Alpha", ", 1002", " 1001 Beta"]))
def test_lookup_never_crashes(text: str, tail: str) -> None:
    idx = GeocodeIndex(source="fuzz")
    cid = idx.add_commune(Commune("Alpha", "1", ("1001",)))
    idx.add_street("Rue Haute - Hoogstraat", 50.0, 4.0, (cid,), {cid: (50.0, 4.0)})
    idx.add_number("Rue Haute - Hoogstraat", "1-5", 50.0, 4.0, "", cid)
    try:
        hit = geocode_offline(text + tail, idx)
    except BuurtkaartError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert hit.precision in PRECISIONS
