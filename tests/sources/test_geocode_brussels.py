"""The geocoder on the real Brussels extracts: the issue's examples and the labelled set.

The labelled set is regenerated from the extract with a fixed seed by
``bench/geocode_set.py`` (an independent pyosmium pass; communes from the
boundaries GeoJSON). ``bench/geocode.py`` runs the full set on both extracts
and records the hit rates in docs/benchmarks.md; here a smaller sample of the
2013 extract guards every kind.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import osmium
import pytest

from buurtkaart._errors import GeocodeError
from buurtkaart.core.address import GeocodeIndex, geocode_offline
from buurtkaart.core.geo import distance_m

pytestmark = pytest.mark.shared
BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _object_at(pbf: Path, street: str, number: str) -> tuple[float, float]:
    """Mean location of the object tagged with that street and house number."""
    for obj in osmium.FileProcessor(str(pbf)).with_locations():
        if obj.tags.get("addr:street") == street and obj.tags.get("addr:housenumber") == number:
            pts = ([(obj.location.lat, obj.location.lon)] if obj.is_node() else
                   [(n.lat, n.lon) for n in obj.nodes])
            return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    raise AssertionError(f"{street} {number} not in {pbf}")


def test_number_inside_a_range(geocode_index_2013: GeocodeIndex, brussels_2013: Path) -> None:
    lat, lon = _object_at(brussels_2013, "Rue Montoyer - Montoyerstraat", "17-19")
    for query in ("Rue Montoyer 17", "montoyerstraat 19, 1000 Brussel"):
        hit = geocode_offline(query, geocode_index_2013)
        assert hit.precision == "housenumber", query
        assert distance_m(hit.lat, hit.lon, lat, lon) < 60


def test_bilingual_square_with_commune(geocode_index_2013: GeocodeIndex,
                                       molenbeek: tuple[float, float]) -> None:
    hit = geocode_offline("Gemeenteplein, Molenbeek", geocode_index_2013)
    assert (hit.precision, hit.label) == ("area", "Place Communale - Gemeenteplaats")
    assert hit.commune.startswith("Molenbeek-Saint-Jean")
    assert distance_m(hit.lat, hit.lon, *molenbeek) < 80


def test_townhall_by_generic_name(geocode_index_2013: GeocodeIndex) -> None:
    hit = geocode_offline("Gemeentehuis, Evere", geocode_index_2013)
    assert hit.precision == "area" and "Evere" in hit.label and hit.commune == "Evere"


def test_street_only_says_so(geocode_index_2013: GeocodeIndex) -> None:
    hit = geocode_offline("Chaussée de Gand 20", geocode_index_2013)
    assert hit.precision == "street" and "Chaussée de Gand" in hit.label


def test_same_name_in_several_communes(geocode_index_2013: GeocodeIndex) -> None:
    with pytest.raises(GeocodeError) as info:
        geocode_offline("Kerkstraat", geocode_index_2013)
    assert info.value.reason == "ambiguous"
    assert any("Woluwe-Saint-Pierre" in c for c in info.value.candidates)
    assert any("Berchem-Sainte-Agathe" in c for c in info.value.candidates)
    for city in ("Sint-Agatha-Berchem", "1082", "Berchem-Sainte-Agathe"):
        assert geocode_offline(f"Kerkstraat, {city}", geocode_index_2013).commune.startswith(
            "Berchem-Sainte-Agathe"), city
    assert "Woluwe-Saint-Pierre" in geocode_offline("Rue de l'Église, 1150",
                                                    geocode_index_2013).commune


@pytest.fixture(scope="module")
def labelled(brussels_2013: Path, boundaries: Path) -> tuple[object, ...]:
    gs = _bench_module("geocode_set")
    return gs, *gs.labelled_set(brussels_2013, boundaries, seed=13, n=40)


def test_labelled_set_hit_rate_per_kind(labelled: tuple[object, ...],
                                        geocode_index_2013: GeocodeIndex) -> None:
    gs, cases, truth, communes = labelled
    scores = gs.evaluate(geocode_index_2013, cases, truth, communes,  # type: ignore[attr-defined]
                         geocode_offline)
    assert set(scores) >= {"housenumber", "range", "estimated", "interpolation", "street",
                           "typo", "square", "multi-commune", "townhall", "negative"}
    asked = sum(s.asked for s in scores.values())
    right = sum(s.right for s in scores.values())
    assert right / asked >= 0.95, {k: s.misses for k, s in scores.items()}
    for kind, s in scores.items():
        assert s.asked >= 8, kind
        assert s.hit_rate >= 0.9, (kind, s.misses)
        assert s.precision >= 0.95, (kind, s.misses)
    assert scores["negative"].answered == 0  # invented names are never "found"
    for s in scores.values():  # every miss says why (reason, distance or wrong answer)
        assert all(": " in miss and "\n" not in miss for miss in s.misses)

