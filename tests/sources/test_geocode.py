"""Offline geocoding on the Brussels extract: French, Dutch, bilingual, abbreviations, errors."""

from __future__ import annotations

import functools
import json
import pickle
from pathlib import Path

import osmium
import pytest

from buurtkaart._errors import DataFileError, GeocodeError, InputError
from buurtkaart.core.address import GeocodeIndex, geocode_offline, normalize, parse_address
from buurtkaart.core.geo import distance_m
from buurtkaart.geocode import geocode
from buurtkaart.sources.addresses import clear_memory, load_index


@pytest.mark.parametrize(("raw", "expected"), [
    ("Chaussée de Gand", "chaussee de gand"),
    ("Chée de Gand", "chaussee de gand"),
    ("chee de gand", "chaussee de gand"),
    ("Av. Louise", "avenue louise"),
    ("Bd Anspach", "boulevard anspach"),
    ("Sint-Mariastr.", "sint mariastraat"),
    ("Ninoofsestwg", "ninoofsesteenweg"),
    ("Rue de l'Église", "rue de l eglise"),
    ("PLACE  COMMUNALE", "place communale"),
])
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(("text", "street", "number", "postcode"), [
    ("Chaussée de Gand 123, 1080 Molenbeek", "Chaussée de Gand", "123", "1080"),
    ("12 rue de la Loi, 1000 Bruxelles", "rue de la Loi", "12", "1000"),
    ("Rue de la Victoire 52B 1060 Saint-Gilles", "Rue de la Victoire", "52b", "1060"),
    ("Gemeenteplaats", "Gemeenteplaats", None, None),
    ("Rue de la Loi 16 bte 3", "Rue de la Loi", "16", None),
])
def test_parse_address(text: str, street: str, number: str | None,
                       postcode: str | None) -> None:
    parsed = parse_address(text)
    assert (parsed.street, parsed.number, parsed.postcode) == (street, number, postcode)


def test_empty_address_is_a_usage_error() -> None:
    with pytest.raises(InputError, match="empty"):
        parse_address("  ,  ")


@pytest.fixture(scope="module")
def index_2013(geocode_index_2013: GeocodeIndex) -> GeocodeIndex:
    return geocode_index_2013


@functools.lru_cache(maxsize=8)
def _street_points(path: Path, name: str) -> list[tuple[float, float]]:
    """Node locations of the named highway ways, read independently with pyosmium."""
    pts = []
    for way in osmium.FileProcessor(str(path)).with_locations():
        if way.is_way() and "highway" in way.tags and way.tags.get("name") == name:
            pts += [(n.lat, n.lon) for n in way.nodes if n.location.valid()]
    return pts


@pytest.mark.shared
@pytest.mark.parametrize("query", [
    "Chaussée de Gand", "Steenweg op Gent", "Chaussée de Gand - Steenweg op Gent",
    "chee de gand 200", "CHAUSSEE DE GAND, 1080 Molenbeek", "Chausée de Gand",
])
def test_street_level_french_dutch_bilingual(index_2013: GeocodeIndex, query: str,
                                             brussels_2013: Path) -> None:
    hit = geocode_offline(query, index_2013)
    assert hit.precision == "street"
    assert "Chaussée de Gand" in hit.label
    points = _street_points(brussels_2013, hit.label)
    assert min(distance_m(hit.lat, hit.lon, la, lo) for la, lo in points) < 1.0


@pytest.mark.shared
def test_place_communale_in_both_languages(index_2013: GeocodeIndex,
                                           molenbeek: tuple[float, float]) -> None:
    fr = geocode_offline("Place Communale, 1080 Molenbeek-Saint-Jean", index_2013)
    nl = geocode_offline("Gemeenteplaats", index_2013)
    assert (fr.lat, fr.lon) == (nl.lat, nl.lon)
    assert distance_m(fr.lat, fr.lon, *molenbeek) < 150


@pytest.mark.shared
def test_house_number_precision(index_2013: GeocodeIndex, brussels_2013: Path) -> None:
    # pick a real address node independently, and ask for it in French and Dutch
    target = None
    for node in osmium.FileProcessor(str(brussels_2013), osmium.osm.NODE):
        street = node.tags.get("addr:street", "")
        if " - " in street and node.tags.get("addr:housenumber", "").isdigit():
            target = (street, node.tags["addr:housenumber"], node.location.lat,
                      node.location.lon)
            break
    assert target is not None
    street, number, lat, lon = target
    fr_name, nl_name = street.split(" - ", 1)
    for query in (f"{fr_name} {number}", f"{nl_name} {number}", f"{number} {fr_name.upper()}"):
        hit = geocode_offline(query, index_2013)
        assert hit.precision == "housenumber", query
        assert distance_m(hit.lat, hit.lon, lat, lon) < 1.0


@pytest.mark.shared
def test_unknown_number_falls_back_to_street(index_2013: GeocodeIndex) -> None:
    hit = geocode_offline("Avenue Louise 99999", index_2013)
    assert hit.precision == "street" and "Louise" in hit.label


@pytest.mark.shared
def test_no_match_lists_suggestions(index_2013: GeocodeIndex) -> None:
    with pytest.raises(GeocodeError) as info:
        geocode_offline("Rue Imaginaire du Zzyzx 4", index_2013)
    text = str(info.value)
    assert "'Rue Imaginaire du Zzyzx'" in text and "closest streets:" in text
    assert "\n" not in text


def test_index_is_cached_as_pickle(demo_pbf: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path))
    clear_memory()
    built = load_index(demo_pbf)
    (cached,) = (tmp_path / "geocode").glob("*.pickle")
    assert pickle.loads(cached.read_bytes()).streets == built.streets
    # a second process (empty memory cache) reads the pickle instead of the extract
    marked = pickle.loads(cached.read_bytes())
    marked.add_street("Rue du Cache - Cachestraat", 1.0, 2.0)
    cached.write_bytes(pickle.dumps(marked))
    clear_memory()
    hit = geocode("Cachestraat", osm_file=demo_pbf)
    assert (hit.lat, hit.lon, hit.precision) == (1.0, 2.0, "street")
    clear_memory()


def test_demo_extract_streets(demo_pbf: Path) -> None:
    hit = geocode("Pohjoisesplanadi", osm_file=demo_pbf)
    assert hit.precision in {"street", "housenumber"} and "Pohjoisesplanadi" in hit.label
    assert 60.16 < hit.lat < 60.18 and 24.93 < hit.lon < 24.96


def test_geojson_index(tmp_path: Path) -> None:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.35, 50.84]},
         "properties": {"amenity": "cafe", "addr:street": "Rue Haute - Hoogstraat",
                        "addr:housenumber": "10", "addr:postcode": "1000"}}]}
    path = tmp_path / "cafes.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    hit = geocode("Hoogstraat 10", osm_file=path)
    assert (hit.precision, hit.lat, hit.lon) == ("housenumber", 50.84, 4.35)
    assert geocode("rue haute", osm_file=path).precision == "street"


def test_geocode_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"absent\.osm\.pbf"):
        geocode("Rue Haute 1", osm_file=tmp_path / "absent.osm.pbf")
