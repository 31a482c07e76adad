"""Areas: a true circle (checked with pyproj's geodesic), named polygons, storage round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from buurtkaart._errors import AreaNotFound, DataFileError, InputError
from buurtkaart.core.area import Area
from buurtkaart.core.geo import distance_m
from buurtkaart.sources.boundaries import area_from_boundaries

GEOD = Geod(ellps="WGS84")


def _offset(lat: float, lon: float, azimuth: float, metres: float) -> tuple[float, float]:
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return lat2, lon2


def test_distance_matches_geodesic() -> None:
    lat, lon = _offset(50.8552, 4.3387, 37.0, 850.0)
    assert distance_m(50.8552, 4.3387, lat, lon) == pytest.approx(850.0, rel=3e-3)


@pytest.mark.parametrize("azimuth", [0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0])
def test_circle_is_a_true_circle_not_a_box(azimuth: float) -> None:
    area = Area.circle(50.8552, 4.3387, 1000)
    assert area.contains(*_offset(50.8552, 4.3387, azimuth, 990.0))
    assert not area.contains(*_offset(50.8552, 4.3387, azimuth, 1010.0))
    # the bounding box corner is inside the box but outside the circle
    _, _, east, north = area.bbox
    assert not area.contains(north - 1e-5, east - 1e-5)


def test_circle_polygon_covers_the_circle() -> None:
    area = Area.circle(50.8552, 4.3387, 500)
    for az in range(0, 360, 7):
        lat, lon = _offset(50.8552, 4.3387, az, 498.0)
        assert area.geometry.contains(Point(lon, lat))


def test_intersects_lines_crossing_the_edge() -> None:
    area = Area.circle(50.8552, 4.3387, 300)
    a = _offset(50.8552, 4.3387, 90, 250)
    b = _offset(50.8552, 4.3387, 90, 600)
    c = _offset(50.8552, 4.3387, 90, 350)
    assert area.intersects(LineString([(a[1], a[0]), (b[1], b[0])]))
    assert not area.intersects(LineString([(c[1], c[0]), (b[1], b[0])]))


@pytest.mark.parametrize(("lat", "lon", "word"), [
    (91, 4.3, "latitude 91"), (-90.5, 4.3, "latitude -90.5"), (50, 181, "longitude 181"),
    (float("nan"), 4.3, "latitude nan"), ("abc", 4.3, "'abc'"),
])
def test_bad_coordinates(lat: object, lon: object, word: str) -> None:
    with pytest.raises(InputError, match=word):
        Area.circle(lat, lon, 100)  # type: ignore[arg-type]


@pytest.mark.parametrize("radius", [-5, 0, 1e9, float("nan"), "far"])
def test_bad_radius(radius: object) -> None:
    with pytest.raises(InputError, match="radius"):
        Area.circle(50.8, 4.3, radius)  # type: ignore[arg-type]


def test_round_trip_circle_and_polygon() -> None:
    circle = Area.circle(50.8552, 4.3387, 750)
    again = Area.from_dict(json.loads(json.dumps(circle.to_dict())))
    assert again == circle and again.kind == "circle" and again.radius_m == 750
    poly = Area.from_geojson({"type": "Polygon", "coordinates": [
        [[4.33, 50.85], [4.34, 50.85], [4.34, 50.86], [4.33, 50.86], [4.33, 50.85]]]}, "box")
    again = Area.from_dict(json.loads(json.dumps(poly.to_dict())))
    assert again.kind == "polygon" and again.label == "box"
    assert again.geometry.equals(poly.geometry)
    assert again.contains(50.855, 4.335) and not again.contains(50.87, 4.335)


def test_from_geojson_rejects_points() -> None:
    with pytest.raises(InputError, match=r"'spot'.*Point"):
        Area.from_geojson({"type": "Point", "coordinates": [4.3, 50.8]}, "spot")


def test_boundaries_match_name_nl_fr_accents_and_parts(boundaries: Path) -> None:
    fr = area_from_boundaries(boundaries, "Molenbeek-Saint-Jean")
    nl = area_from_boundaries(boundaries, "sint-jans-molenbeek")
    short = area_from_boundaries(boundaries, "Molenbeek")
    assert fr.geometry.equals(nl.geometry) and fr.geometry.equals(short.geometry)
    assert fr.contains(50.8552, 4.3387)  # Place Communale is in Molenbeek
    assert not fr.contains(50.8466, 4.3528)  # Grand-Place is not
    assert area_from_boundaries(boundaries, "Quartier Saint-Gery").contains(50.8484, 4.3475)
    assert area_from_boundaries(boundaries, "Matongé").kind == "polygon"


def test_unknown_area_suggests_close_names(boundaries: Path) -> None:
    with pytest.raises(AreaNotFound) as info:
        area_from_boundaries(boundaries, "Molenbek")
    text = str(info.value)
    assert "'Molenbek'" in text and "Molenbeek-Saint-Jean" in text and "\n" not in text
    assert AreaNotFound.exit_code != 2


def test_missing_boundaries_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope\.geojson"):
        area_from_boundaries(tmp_path / "nope.geojson", "X")
