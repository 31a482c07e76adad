"""The offline basemap of a page's map covers the map's whole area, also where the map
is drawn without its places (the meeting map): no blank corners inside the circle."""

from __future__ import annotations

from buurtkaart.app import maps
from buurtkaart.core.area import Area
from buurtkaart.core.geo import in_bbox


def test_the_basemap_box_holds_the_whole_area_without_places() -> None:
    area = Area.circle(50.8552, 4.3387, 1000)
    the_map = {"id": "m", "name": "Molenbeek", "lat": 50.8552, "lon": 4.3387,
               "area": area.to_dict()}
    box = maps._bbox(the_map, [])  # type: ignore[arg-type]
    west, south, east, north = area.bbox
    for lat, lon in ((south, west), (north, east), (south, east), (north, west)):
        assert in_bbox(lat, lon, box)


def test_a_map_without_area_gets_a_box_around_its_point() -> None:
    box = maps._bbox({"id": "m", "name": "x", "lat": 50.85, "lon": 4.33}, [])  # type: ignore[arg-type]
    assert in_bbox(50.85, 4.33, box) and box[2] - box[0] < 0.02
