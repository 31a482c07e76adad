"""OSM change detection on toy data: id matching, id-less GeoJSON matching, draft signals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.area import Area
from buurtkaart.meeting.diff import diff_places, ensure_same_area
from buurtkaart.meeting.signals import draft_signals, in_period, validate_signal
from buurtkaart.places import Place, read_places
from buurtkaart.sources.extent import ensure_covers, extract_bounds

CENTER = (50.8552, 4.3387)
# 1e-5 degree of latitude is 1.11 m; of longitude at 50.86 N, 0.70 m.
M_LAT = 1 / 111_195.0


def place(osm_id: str | None, name: str | None, category: str, dlat_m: float = 0.0,
          tags: dict[str, str] | None = None) -> Place:
    base = {"name": name} if name else {}
    return Place(osm_id, name, None, None, category, CENTER[0] + dlat_m * M_LAT, CENTER[1],
                 {**base, **(tags or {})}, "test")


def test_matches_by_osm_id_and_reports_changes() -> None:
    old = [place("node/1", "Bakkerij Jan", "shop_food", tags={"shop": "bakery"}),
           place("node/2", "Sint-Jan", "worship_christian"),
           place("node/3", "Café Oud", "horeca", tags={"amenity": "cafe"})]
    new = [place("node/1", "Bakkerij Jan", "shop_food", tags={"shop": "bakery"}),
           place("node/2", "Moskee Al Amal", "worship_muslim", 5),
           place("node/4", "Bakkerij X", "shop_food", tags={"shop": "bakery"})]
    d = diff_places(old, new)
    assert [p.osm_id for p in d.new] == ["node/4"]
    assert [p.osm_id for p in d.gone] == ["node/3"]
    assert len(d.changed) == 1
    change = d.changed[0]
    assert change.fields["name"] == ("Sint-Jan", "Moskee Al Amal")
    assert change.fields["category"] == ("worship_christian", "worship_muslim")
    assert d.counts() == {"new": 1, "gone": 1, "changed": 1, "redrawn": 0, "merged": 0,
                          "unchanged": 1}


def test_key_tag_change_counts_but_position_does_not() -> None:
    old = [place("node/1", "A", "shop", tags={"shop": "clothes"}), place("way/2", "B", "shop")]
    new = [place("node/1", "A", "shop", tags={"shop": "shoes"}),
           place("way/2", "B", "shop", 12, tags={"opening_hours": "Mo-Fr"})]
    d = diff_places(old, new)
    assert [c.new.osm_id for c in d.changed] == ["node/1"]
    assert d.changed[0].fields == {"tag:shop": ("clothes", "shoes")}
    assert d.unchanged == 1


def test_area_filter_applies_to_both_sides() -> None:
    area = Area.circle(*CENTER, 100)
    old = [place("node/1", "In", "shop"), place("node/2", "Far", "shop", 500)]
    new = [place("node/3", "Far new", "shop", 400)]
    d = diff_places(old, new, area)
    assert [p.osm_id for p in d.gone] == ["node/1"]
    assert d.new == []


def _geojson(path: Path, feats: list[tuple[str, float, dict[str, str]]]) -> Path:
    features = [{"type": "Feature", "properties": props,
                 "geometry": {"type": "Point",
                              "coordinates": [CENTER[1], CENTER[0] + dlat_m * M_LAT]}}
                for _name, dlat_m, props in feats]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_geojson_without_ids_matches_by_name_category_and_30m(tmp_path: Path) -> None:
    old = _geojson(tmp_path / "old.geojson", [
        ("a", 0, {"name": "Bakkerij Jan", "shop": "bakery"}),
        ("b", 100, {"name": "Apotheek Noord", "amenity": "pharmacy"}),
        ("c", 200, {"name": "Café Zuid", "amenity": "cafe"}),
        ("d", 300, {"name": "Sint-Jan", "amenity": "place_of_worship", "religion": "christian"}),
    ])
    new = _geojson(tmp_path / "new.geojson", [
        ("a", 20, {"name": "BAKKERIJ  jan", "shop": "bakery", "opening_hours": "Mo"}),  # 20 m
        ("b", 140, {"name": "Apotheek Noord", "amenity": "pharmacy"}),  # 40 m: too far
        ("c", 200, {"name": "Café Zuid", "shop": "convenience"}),  # other category
        ("d", 300, {"name": "Sint-Jan", "amenity": "place_of_worship",
                    "religion": "christian", "denomination": "catholic"}),
    ])
    old_places, new_places = read_places(old), read_places(new)
    assert all(p.osm_id is None for p in old_places + new_places)
    d = diff_places(old_places, new_places)
    assert sorted(p.name or "" for p in d.new) == ["Apotheek Noord", "Café Zuid"]
    assert sorted(p.name or "" for p in d.gone) == ["Apotheek Noord", "Café Zuid"]
    assert [c.new.name for c in d.changed] == ["Sint-Jan"]
    assert d.changed[0].fields == {"tag:denomination": (None, "catholic")}
    assert d.changed[0].match == "name+category+distance"
    assert d.unchanged == 1  # the bakery, 20 m away and spelled differently
    entry = d.to_json()["changed"][0]
    assert entry["osm_id"] is None and entry["old_tags"] != entry["new_tags"]


def test_redrawn_under_a_new_id_is_not_gone_and_new() -> None:
    # This test used to pin the phantom pair (two ids never matched: one "gone" and one
    # "new" X, 3 m apart). In OSM a point redrawn as its outline gets a new id; issue 14.
    d = diff_places([place("node/1", "X", "shop")], [place("way/9", "X", "shop", 3)])
    assert d.new == [] and d.gone == []
    assert [(c.old.osm_id, c.new.osm_id, c.match) for c in d.redrawn] == [
        ("node/1", "way/9", "redrawn")]
    assert d.redrawn[0].moved_m == pytest.approx(3, abs=0.1)
    # Too far for a point, another name, or an unrelated category: still gone + new.
    for other in (place("way/9", "X", "shop", 90), place("way/9", "Y", "shop", 3),
                  place("way/9", "X", "school", 3)):
        d = diff_places([place("node/1", "X", "shop")], [other])
        assert len(d.new) == 1 and len(d.gone) == 1 and d.redrawn == []


def test_draft_signals_in_three_languages() -> None:
    d = diff_places([place("node/3", "Café Oud", "horeca")],
                    [place("node/4", "Bakkerij X", "shop_food", tags={"shop": "bakery"})])
    day = dt.date(2026, 11, 28)
    nl = draft_signals(d, "nl", day)
    assert [s["title"] for s in nl] == ["Nieuwe winkel: Bakkerij X", "Verdwenen (Horeca): Café Oud"]
    assert [s["type"] for s in nl] == ["new_place", "closure"]
    assert all(s["status"] == "draft" and s["date"] == "2026-11-28" for s in nl)
    assert draft_signals(d, "fr", day)[0]["title"] == "Nouveau commerce: Bakkerij X"
    assert draft_signals(d, "en", day)[0]["title"] == "New shop: Bakkerij X"
    for sig in nl:
        validate_signal(sig)


def test_signal_validation_and_period() -> None:
    good: dict[str, Any] = {"date": "2026-10-01", "type": "infrastructure",
                            "title": "Zone 30 in de Ribaucourtstraat"}
    assert validate_signal(good)["status"] == "draft"
    with pytest.raises(InputError, match="signal type 'weather'"):
        validate_signal({**good, "type": "weather"})
    with pytest.raises(InputError, match="not a YYYY-MM-DD"):
        validate_signal({**good, "date": "1 oktober"})
    with pytest.raises(InputError, match="lat/lon"):
        validate_signal({**good, "lat": 50.0})
    sigs = [{**good, "date": d} for d in ("2026-01-05", "2026-06-01", "2026-11-01")]
    got = in_period(sigs, dt.date(2026, 2, 1), dt.date(2026, 11, 1))
    assert [s["date"] for s in got] == ["2026-06-01", "2026-11-01"]


def test_comparing_imports_of_different_areas_is_refused() -> None:
    a = Area.circle(*CENTER, 1000).to_dict()
    ensure_same_area(a, Area.circle(*CENTER, 1000).to_dict())
    with pytest.raises(InputError, match=r"different areas.*radius_m"):
        ensure_same_area(a, Area.circle(*CENTER, 500).to_dict())
    with pytest.raises(InputError, match=r"different areas.*centred"):
        ensure_same_area(a, Area.circle(50.80, 4.30, 1000).to_dict())


def test_extract_that_does_not_cover_the_area(demo_pbf: Path, tmp_path: Path) -> None:
    bounds = extract_bounds(demo_pbf)  # Helsinki: header bbox
    assert bounds[0] < 24.94 < bounds[2] and bounds[1] < 60.17 < bounds[3]
    ensure_covers(bounds, Area.circle(60.170, 24.944, 300), "Helsinki.osm.pbf")
    with pytest.raises(InputError, match=r"Helsinki\.osm\.pbf does not cover the map.s area"):
        ensure_covers(bounds, Area.circle(*CENTER, 1000), "Helsinki.osm.pbf")
    gj = _geojson(tmp_path / "p.geojson", [("a", 0, {"name": "A", "shop": "bakery"}),
                                           ("b", 500, {"name": "B", "shop": "bakery"})])
    w, s, e, _n = extract_bounds(gj)
    assert (w, e) == (CENTER[1], CENTER[1]) and s == pytest.approx(CENTER[0])
    # A GeoJSON export only spans its places: any overlap is accepted, none is not.
    ensure_covers((w, s, e, _n), Area.circle(*CENTER, 1000), "p.geojson", partial_ok=True)
    with pytest.raises(InputError, match=r"p\.geojson does not cover"):
        ensure_covers((w, s, e, _n), Area.circle(50.80, 4.30, 1000), "p.geojson",
                      partial_ok=True)
    with pytest.raises(DataFileError, match="does not exist"):
        extract_bounds(tmp_path / "missing.osm.pbf")
