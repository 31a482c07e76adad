"""Places on the real Brussels extracts, checked against independent pyosmium/pyproj counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import osmium
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point

from buurtkaart.core.area import Area
from buurtkaart.places import Place, places_around, places_to_geojson, read_places
from buurtkaart.sources.boundaries import area_from_boundaries

pytestmark = pytest.mark.shared

#: Belgian Lambert 72 (metres): an independent way to measure distances.
TO_LAMBERT = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)


def _worship_within(path: Path, center: tuple[float, float], radius: float) -> Counter[str]:
    """Count place-of-worship objects within ``radius`` m, by religion, without our code.

    Nodes by point distance, ways and multipolygon relations by the distance of their
    rings to the centre, all measured in Lambert 72 metres.
    """
    cx, cy = TO_LAMBERT.transform(center[1], center[0])
    origin = Point(cx, cy)
    rel_ways: dict[int, str] = {}
    for rel in osmium.FileProcessor(str(path), osmium.osm.RELATION):
        if rel.tags.get("amenity") == "place_of_worship":
            for m in rel.members:
                if m.type == "w":
                    rel_ways[m.ref] = f"relation/{rel.id}:{rel.tags.get('religion', '')}"
    found: dict[str, str] = {}
    for obj in osmium.FileProcessor(str(path)).with_locations():
        worship = obj.tags.get("amenity") == "place_of_worship"
        if obj.is_node() and worship:
            x, y = TO_LAMBERT.transform(obj.location.lon, obj.location.lat)
            if origin.distance(Point(x, y)) <= radius:
                found[f"node/{obj.id}"] = obj.tags.get("religion", "")
        elif obj.is_way() and (worship or obj.id in rel_ways):
            pts = [TO_LAMBERT.transform(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if len(pts) < 2:
                continue
            ring = shapely.LineString(pts)
            shape = shapely.Polygon(pts) if len(pts) >= 4 and pts[0] == pts[-1] else ring
            if shape.distance(origin) <= radius:
                if worship:
                    found[f"way/{obj.id}"] = obj.tags.get("religion", "")
                else:
                    rel_id, religion = rel_ways[obj.id].split(":")
                    found[rel_id] = religion
    return Counter(found.values())


@pytest.fixture(scope="session")
def molenbeek_2013(brussels_2013: Path, molenbeek: tuple[float, float]) -> list[Place]:
    return read_places(brussels_2013, Area.circle(*molenbeek, 1000))


def test_molenbeek_2013_worship_counts_match_independent_pass(
        molenbeek_2013: list[Place], brussels_2013: Path,
        molenbeek: tuple[float, float]) -> None:
    expected = _worship_within(brussels_2013, molenbeek, 1000)
    cats = Counter(p.category for p in molenbeek_2013)
    worship = sum(v for k, v in cats.items() if k.startswith("worship_"))
    assert worship == sum(expected.values())
    assert cats["worship_muslim"] == expected["muslim"]
    assert cats["worship_christian"] == expected["christian"]
    # the sanity figures for this extract
    assert worship == 22 and cats["worship_muslim"] == 13


def test_molenbeek_2013_categories_and_bilingual_names(molenbeek_2013: list[Place]) -> None:
    cats = Counter(p.category for p in molenbeek_2013)
    assert 150 < len(molenbeek_2013) < 300
    assert {"school", "horeca", "health", "public_space", "public_service", "market",
            "library", "shop_food"} <= set(cats)
    bilingual = [p for p in molenbeek_2013 if p.name_nl and p.name_fr]
    assert len(bilingual) >= 20
    assert all(p.name_nl != p.name_fr for p in bilingual[:20] if p.category.startswith("school"))
    church = next(p for p in molenbeek_2013 if p.name_nl == "Sint-Jan-Baptistkerk")
    assert church.name_fr == "Église Saint-Jean-Baptiste"
    assert church.category == "worship_christian" and church.osm_id == "way/30163180"
    assert all(p.distance_m is not None and p.distance_m <= 1100 for p in molenbeek_2013)


def test_molenbeek_2012_is_smaller_and_shares_ids(
        brussels_2012: Path, molenbeek_2013: list[Place],
        molenbeek: tuple[float, float]) -> None:
    old = read_places(brussels_2012, Area.circle(*molenbeek, 1000))
    expected = _worship_within(brussels_2012, molenbeek, 1000)
    cats = Counter(p.category for p in old)
    assert sum(v for k, v in cats.items() if k.startswith("worship_")) == sum(expected.values())
    assert cats["worship_muslim"] == expected["muslim"]
    shared = {p.osm_id for p in old} & {p.osm_id for p in molenbeek_2013}
    assert len(shared) >= 0.6 * len(old)
    assert len(old) < len(molenbeek_2013)  # OSM grew in 2012


def test_places_around_gdf_and_geojson(brussels_2013: Path,
                                       molenbeek: tuple[float, float]) -> None:
    gdf = places_around(*molenbeek, radius_m=500, osm_file=brussels_2013, lang="fr")
    assert str(gdf.crs) == "EPSG:4326" and len(gdf) > 20
    assert set(gdf.geometry.geom_type) == {"Point"}
    assert (gdf["category_label"][gdf["category"] == "worship_muslim"] == "Mosquée").all()
    places = read_places(brussels_2013, Area.circle(*molenbeek, 500))
    fc = places_to_geojson(places, "nl")
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    first = fc["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    assert 4.3 < lon < 4.4 and 50.8 < lat < 50.9  # RFC 7946: lon, lat
    assert set(first["properties"]) >= {"osm_id", "name", "name_nl", "name_fr", "category",
                                        "category_label", "distance_m", "tags", "source"}
    assert {f["properties"]["osm_id"] for f in fc["features"]} == set(gdf["osm_id"])


def test_commune_polygon(brussels_2013: Path, boundaries: Path) -> None:
    area = area_from_boundaries(boundaries, "Sint-Gillis")
    places = read_places(brussels_2013, area)
    assert len(places) > 100
    for p in places:
        if p.osm_id and p.osm_id.startswith("node/"):
            assert area.geometry.contains(Point(p.lon, p.lat))


def test_area_with_a_point_measures_from_the_point(brussels_2013: Path, boundaries: Path,
                                                   molenbeek: tuple[float, float]) -> None:
    from pyproj import Geod

    from buurtkaart.places import find_places

    area = area_from_boundaries(boundaries, "Molenbeek")
    places = find_places(*molenbeek, area=area, osm_file=brussels_2013)
    assert places and area.center != molenbeek  # the caller's area is not changed
    geod = Geod(ellps="WGS84")
    for p in places[:25]:
        _, _, expected = geod.inv(molenbeek[1], molenbeek[0], p.lon, p.lat)
        assert p.distance_m == pytest.approx(expected, rel=5e-3, abs=0.5)
