"""The geometry kernel on plain values: distances, boxes, circles and the coarse grid."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest

from buurtkaart.core.geo import (
    COARSE_GRID_M,
    METRES_PER_DEGREE,
    WORLD,
    bbox_around,
    bbox_contains,
    bbox_grow,
    bbox_intersects,
    bbox_of,
    bbox_snap_out,
    circle_points,
    degree_offsets,
    distance_m,
    distances_m,
    in_bbox,
    snap,
)

BOURSE = (50.8483, 4.3496)  # Brussels, Beursplein / Place de la Bourse
GEMEENTEPLEIN = (50.8552, 4.3387)  # Molenbeek, Gemeenteplein / Place Communale
GENT = (51.0543, 3.7174)  # Gent, Korenmarkt
GEOD = pyproj.Geod(ellps="WGS84")


def ellipsoid_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[1], a[0], b[1], b[0])[2])


def test_known_distances_agree_with_the_ellipsoid() -> None:
    # the sphere differs from WGS84 by at most ~0.5 % at this latitude
    assert distance_m(*BOURSE, *GEMEENTEPLEIN) == pytest.approx(1084, abs=5)
    for a, b in [(BOURSE, GEMEENTEPLEIN), (BOURSE, GENT), (GEMEENTEPLEIN, GENT)]:
        assert distance_m(*a, *b) == pytest.approx(ellipsoid_m(a, b), rel=5e-3)


def test_distance_is_symmetric_and_zero_on_the_same_point() -> None:
    assert distance_m(*BOURSE, *BOURSE) == 0.0
    assert distance_m(*BOURSE, *GENT) == distance_m(*GENT, *BOURSE)
    # a degree of latitude is ~111.2 km on the sphere, half the equator ~20 015 km
    assert distance_m(50.0, 4.0, 51.0, 4.0) == pytest.approx(111_195, abs=1)
    assert distance_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6_371_008.8)


def test_vectorised_distances_match_the_scalar_one() -> None:
    lats = np.array([BOURSE[0], GEMEENTEPLEIN[0], GENT[0]])
    lons = np.array([BOURSE[1], GEMEENTEPLEIN[1], GENT[1]])
    got = distances_m(lats, lons, np.roll(lats, 1), np.roll(lons, 1))
    want = [distance_m(lats[i], lons[i], lats[i - 1], lons[i - 1]) for i in range(3)]
    assert got.shape == (3,)
    assert got.tolist() == pytest.approx(want, rel=1e-12)
    assert float(distances_m(*BOURSE, *GEMEENTEPLEIN)) == pytest.approx(
        distance_m(*BOURSE, *GEMEENTEPLEIN), rel=1e-12)


def test_bbox_around_holds_the_disc_and_no_more() -> None:
    west, south, east, north = bbox_around(*GEMEENTEPLEIN, 1000.0)
    lat, lon = GEMEENTEPLEIN
    for edge in [(north, lon), (south, lon), (lat, east), (lat, west)]:
        assert distance_m(lat, lon, *edge) == pytest.approx(1000.0, rel=2e-3)
    assert bbox_around(*GEMEENTEPLEIN, 0.0) == (lon, lat, lon, lat)


def test_degree_offsets_grow_with_latitude() -> None:
    dlat0, dlon0 = degree_offsets(0.0, 1000.0)
    dlat, dlon = degree_offsets(60.0, 1000.0)
    assert dlat0 == dlat == pytest.approx(1000 / 111_195, rel=1e-4)
    assert dlon0 == pytest.approx(dlat0)
    assert dlon == pytest.approx(2 * dlat, rel=1e-9)  # cos 60° = 1/2
    assert math.isfinite(degree_offsets(90.0, 1000.0)[1])  # no division by zero at a pole


def test_circle_points_lie_on_the_circle() -> None:
    points = circle_points(*BOURSE, 500.0, n=12)
    assert len(points) == 12
    assert points[0] == pytest.approx((BOURSE[0], BOURSE[1] + degree_offsets(BOURSE[0], 500)[1]))
    for p in points:
        assert distance_m(*BOURSE, *p) == pytest.approx(500.0, rel=3e-3)


def test_bbox_of_points() -> None:
    assert bbox_of([]) is None
    assert bbox_of([BOURSE]) == (BOURSE[1], BOURSE[0], BOURSE[1], BOURSE[0])
    box = bbox_of([BOURSE, GEMEENTEPLEIN, GENT], pad_deg=0.01)
    assert box == pytest.approx((3.7074, 50.8383, 4.3596, 51.0643))
    assert bbox_of(iter([GENT, BOURSE])) == (GENT[1], BOURSE[0], BOURSE[1], GENT[0])


def test_bbox_contains_intersects_and_point_inside() -> None:
    box = (4.0, 50.0, 5.0, 51.0)
    assert bbox_contains(box, box)  # edges included
    assert bbox_contains(WORLD, box) and not bbox_contains(box, WORLD)
    assert not bbox_contains(box, (4.5, 50.5, 5.1, 50.6))
    assert bbox_intersects(box, (5.0, 51.0, 6.0, 52.0))  # touching corner
    assert bbox_intersects(box, (4.2, 50.2, 4.3, 50.3))  # inside
    assert not bbox_intersects(box, (5.01, 50.0, 6.0, 51.0))
    assert not bbox_intersects(box, (4.0, 51.01, 5.0, 52.0))
    assert in_bbox(50.0, 4.0, box) and in_bbox(50.5, 4.5, box)
    assert not in_bbox(4.5, 50.5, box)  # (lat, lon) order matters


def test_bbox_grow_and_snap_out() -> None:
    box = (4.331, 50.851, 4.342, 50.859)
    assert bbox_grow(box, 0.001) == pytest.approx((4.330, 50.850, 4.343, 50.860))
    assert bbox_grow(bbox_grow(box, 0.5), -0.5) == pytest.approx(box)
    snapped = bbox_snap_out(box, 0.005)
    assert snapped == pytest.approx((4.330, 50.850, 4.345, 50.860))
    assert bbox_contains(snapped, box)
    assert bbox_snap_out(snapped, 0.005) == pytest.approx(snapped)


def test_snap_is_idempotent_on_a_100_m_grid() -> None:
    assert COARSE_GRID_M == 100.0
    for lat, lon in [BOURSE, GEMEENTEPLEIN, GENT, (50.85001, 4.33001), (-33.9, 18.4)]:
        s = snap(lat, lon)
        assert snap(*s) == s
        assert s[0] is not None and s[1] is not None
        # the cell centre is at most half a diagonal away
        assert distance_m(lat, lon, s[0], s[1]) <= 100 * math.sqrt(2) / 2 + 1
    step = COARSE_GRID_M / METRES_PER_DEGREE
    assert snap(50.85001, 4.3)[0] == pytest.approx(round(50.85001 / step) * step, abs=1e-6)
    assert snap(None, 4.3) == (None, 4.3) and snap(50.8, None) == (50.8, None)
    assert snap(50.85001, 4.33001, grid_m=1000.0) != snap(50.85001, 4.33001)
