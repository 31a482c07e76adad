"""Turn a :class:`~buurtkaart.meeting.collect.MeetingView` into the printed PDF report."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from buurtkaart.core import vocab
from buurtkaart.core.area import Area
from buurtkaart.core.geo import BBox, bbox_of
from buurtkaart.i18n import label_or_key
from buurtkaart.meeting import reflection as refl
from buurtkaart.meeting.collect import MeetingView
from buurtkaart.sources.basemap import offline_basemap_geojson
from buurtkaart.views.mapimage import Mark, circle_outline, render_map_png
from buurtkaart.views.meeting_pdf import ReportData, build_report_pdf

log = logging.getLogger(__name__)



def view_categories(view: MeetingView, lang: str) -> tuple[list[tuple[str, str, int]],
                                                          dict[str, str]]:
    """Return the map's kinds of places ``(key, label, count)`` and ``place id -> key``."""
    counts = Counter(p.category for p in view.places)
    legend = sorted(((k, label_or_key(k, lang), n) for k, n in counts.items()),
                    key=lambda row: (-row[2], row[1]))
    ids = {str(p.osm_id): p.category for p in view.places if p.osm_id}
    return legend, ids


def view_marks(view: MeetingView) -> list[Mark]:
    """Return the points of the map image: places, actors, then changes."""
    marks = [Mark(p.lat, p.lon, "place") for p in view.places]
    marks += [Mark(float(a["lat"]), float(a["lon"]), "actor") for a in view.actors
              if a.get("lat") is not None and a.get("lon") is not None]
    marks += [Mark(float(i.lat), float(i.lon), i.style, i.title) for i in view.since.items
              if i.lat is not None and i.lon is not None]
    return marks


def view_bbox(view: MeetingView, marks: list[Mark]) -> tuple[BBox, list[tuple[float, float]]]:
    """Return the bbox to draw (the map's area, else the marks) and the area outline."""
    area = view.map.get("area")
    if area:
        a = Area.from_dict(area)
        if a.kind == "circle" and a.radius_m:
            outline = circle_outline(a.center[0], a.center[1], a.radius_m)
        else:
            outline = [(lat, lon) for lon, lat in _exterior(a)]
        return a.bbox, outline
    points = [(m.lat, m.lon) for m in marks] or [
        (float(view.map.get("lat") or 0), float(view.map.get("lon") or 0))]
    box = bbox_of(points, pad_deg=0.002)
    assert box is not None  # at least the map's own point
    return box, []


def _exterior(area: Area) -> list[tuple[float, float]]:
    geom: Any = area.geometry
    if hasattr(geom, "geoms"):
        geom = max(geom.geoms, key=lambda g: g.area)
    return [(float(x), float(y)) for x, y in geom.exterior.coords]


def _basemap(osm_file: str | Path | None, bbox: BBox) -> dict[str, Any] | None:
    if osm_file is None or not str(osm_file).lower().endswith((".pbf", ".osm", ".bz2", ".gz")):
        return None
    try:
        return offline_basemap_geojson(osm_file, bbox)
    except Exception as e:  # the report still prints without streets
        log.warning("no basemap for the report from %s: %s", osm_file, e)
        return None


def meeting_pdf(view: MeetingView, meeting: Mapping[str, Any] | None = None, *,
                lang: str = "nl", osm_file: str | Path | None = None,
                with_map: bool = True) -> bytes:
    """Return the printed report of a meeting view as PDF bytes.

    Parameters
    ----------
    view : MeetingView
        From :func:`~buurtkaart.meeting.collect.gather`.
    meeting : dict, optional
        The meeting record (attendees, decisions, actions) to include.
    lang : str
        Language of the report.
    osm_file : str or Path, optional
        Extract for the offline basemap (streets) under the map image.
    with_map : bool
        Include the map image.
    """
    png = None
    if with_map:
        marks = view_marks(view)
        bbox, outline = view_bbox(view, marks)
        png = render_map_png(bbox, marks, _basemap(osm_file, bbox), outline, lang)
    legend, ids = view_categories(view, lang)
    data = ReportData(
        map_name=str(view.map.get("name") or ""), org_name=str(view.map.get("org_name") or ""),
        date=view.today, since=view.since, lang=lang if lang in vocab.LANGS else "nl",
        follow_ups=view.follow_ups, agenda=view.agenda, movements=view.movements,
        latest=refl.latest_scores(view.reflections), meeting=meeting, map_png=png,
        categories=legend if with_map else [], item_categories=ids,
        previous_date=str(view.previous["date"])[:10] if view.previous else None)
    return build_report_pdf(data)
