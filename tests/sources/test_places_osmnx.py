"""Equivalence with OSMnx ``features_from_xml`` on a small clipped area of the 2013 extract."""

from __future__ import annotations

from pathlib import Path

import osmium
import pytest
from osmium.filter import KeyFilter

from buurtkaart.core.area import Area
from buurtkaart.core.categories import categorize, filter_keys
from buurtkaart.places import read_places

pytestmark = pytest.mark.shared


def clip_to_xml(src: Path, bbox: tuple[float, float, float, float], out: Path) -> Path:
    """Write the tagged objects touching ``bbox`` to ``out`` as .osm XML.

    Only objects with one of the taxonomy's filter keys are selected (both readers
    query the same tags); pyosmium's back-reference writer adds every node and
    member way they need, untagged, so both readers see whole geometries.
    """
    w, s, e, n = bbox

    def inside(lon: float, lat: float) -> bool:
        return w <= lon <= e and s <= lat <= n

    with osmium.BackReferenceWriter(str(out), str(src)) as writer:
        proc = osmium.FileProcessor(str(src)).with_locations().with_filter(
            KeyFilter(*filter_keys()))
        for obj in proc:
            if obj.is_node():
                keep = inside(obj.location.lon, obj.location.lat)
            elif obj.is_way():
                keep = any(nd.location.valid() and inside(nd.lon, nd.lat) for nd in obj.nodes)
            else:
                keep = obj.tags.get("type") == "multipolygon"
            if keep:
                writer.add(obj)
    return out


def test_ids_match_osmnx_features_from_xml(brussels_2013: Path, molenbeek: tuple[float, float],
                                           tmp_path: Path) -> None:
    import osmnx as ox

    from buurtkaart.sources._overpass import overpass_tags

    area = Area.circle(*molenbeek, 700)
    w, s, e, n = area.bbox
    xml = clip_to_xml(brussels_2013, (w - 0.002, s - 0.002, e + 0.002, n + 0.002),
                      tmp_path / "molenbeek.osm")
    gdf = ox.features_from_xml(xml, polygon=area.geometry, tags=overpass_tags())
    # OSMnx answers "has one of these tags" within the 96-gon; keep the objects our
    # rules categorise that touch the true circle
    tag_cols = [c for c in gdf.columns if c not in {"geometry", "nodes", "ways"}]
    osmnx_ids = set()
    for (element, osm_id), row in zip(gdf.index, gdf[tag_cols].to_dict("records"), strict=True):
        tags = {k: str(v) for k, v in row.items() if isinstance(v, str)}
        if categorize(tags) and area.intersects(gdf.loc[(element, osm_id), "geometry"]):
            osmnx_ids.add(f"{element}/{osm_id}")
    ours = {p.osm_id for p in read_places(xml, area)}
    assert len(osmnx_ids) > 60
    found = len(osmnx_ids & ours) / len(osmnx_ids)
    assert found >= 0.98, sorted(osmnx_ids - ours)
    extra = ours - osmnx_ids
    assert len(extra) <= 0.02 * len(ours), sorted(extra)
    # the same file read as PBF-equivalent XML and the original PBF agree
    assert ours == {p.osm_id for p in read_places(brussels_2013, area)}
