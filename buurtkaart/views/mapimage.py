"""Static map image of the buurt (Pillow, no internet) for the printed report.

Draws the offline basemap (streets, water, green from the local extract, see
:mod:`buurtkaart.sources.basemap`), the area outline, places, actors and the
changes (new = green disc, changed = orange square, gone = red cross), a legend,
a scale bar and the OSM attribution. The basemap's street, square, park and canal
names are printed in ``lang`` (placed by :mod:`buurtkaart.views.labels`: one per
street run, no overlaps).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from buurtkaart.core.geo import METRES_PER_DEGREE, circle_points
from buurtkaart.i18n import t
from buurtkaart.views.labels import Placed, place_labels
from buurtkaart.views.map_layers import label_text

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"

STYLE_COLORS = {"new": (26, 152, 80), "changed": (245, 140, 20), "gone": (215, 25, 28)}
_LINE_STYLES: dict[str, tuple[tuple[int, int, int], int]] = {
    "major": ((150, 150, 150), 4), "minor": ((190, 190, 190), 2), "path": ((215, 215, 215), 1)}
_FILL_COLORS: dict[str, tuple[int, int, int]] = {
    "water": (170, 210, 240), "green": (210, 235, 200), "landuse": (240, 238, 232)}

#: Marks of the legend, in order (catalog keys ``pdfmap.<mark>``).
LEGEND_KEYS = ("new", "changed", "gone", "actor", "place")


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return DejaVu Sans at ``size`` px (Pillow's default font when it is absent)."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


@dataclass(frozen=True)
class Mark:
    """A point to draw: ``style`` is new/changed/gone, ``actor`` or ``place``."""

    lat: float
    lon: float
    style: str
    label: str = ""


class _Projection:
    """Equirectangular projection of a bbox into an image, aspect kept."""

    def __init__(self, bbox: tuple[float, float, float, float], width: int, height: int,
                 margin: int) -> None:
        west, south, east, north = bbox
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.kx, 1e-6)
        span_y = max(north - south, 1e-6)
        self.scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        self.cx, self.cy = (west + east) / 2, (south + north) / 2
        self.w, self.h = width, height

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.w / 2 + (lon - self.cx) * self.kx * self.scale
        y = self.h / 2 - (lat - self.cy) * self.scale
        return x, y

    def metres_per_px(self) -> float:
        return METRES_PER_DEGREE / self.scale


def render_map_png(bbox: tuple[float, float, float, float], marks: Iterable[Mark],
                   basemap: dict[str, Any] | None = None,
                   outline: Sequence[tuple[float, float]] | None = None,
                   lang: str = "nl", size: tuple[int, int] = (1400, 1000)) -> bytes:
    """Return a PNG of the buurt with the changes marked.

    Parameters
    ----------
    bbox : tuple
        (west, south, east, north) to show.
    marks : iterable of Mark
        Places, actors and changes; changes are drawn last, on top.
    basemap : dict, optional
        GeoJSON from :func:`buurtkaart.sources.basemap.offline_basemap_geojson`.
    outline : sequence of (lat, lon), optional
        The area outline (e.g. the circle).
    lang : str
        Language of the legend.
    size : tuple
        Width and height in pixels.
    """
    width, height = size
    img = Image.new("RGB", size, (252, 252, 250))
    draw = ImageDraw.Draw(img)
    proj = _Projection(bbox, width, height, margin=30)
    if basemap:
        _draw_basemap(draw, basemap, proj)
    if outline:
        draw.line([proj(lat, lon) for lat, lon in outline], fill=(60, 90, 160), width=3)
    if basemap:
        _draw_labels(img, basemap, proj, lang)
    order = {"place": 0, "actor": 1, "gone": 2, "changed": 3, "new": 4}
    for mark in sorted(marks, key=lambda m: order.get(m.style, 0)):
        _draw_mark(draw, proj(mark.lat, mark.lon), mark.style)
    _legend(draw, lang, width)
    _scale_bar(draw, proj, height)
    f = font(16)
    text_w = draw.textlength(ATTRIBUTION, font=f)
    draw.rectangle((width - text_w - 16, height - 28, width, height), fill=(255, 255, 255))
    draw.text((width - text_w - 8, height - 24), ATTRIBUTION, fill=(40, 40, 40), font=f)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _draw_basemap(draw: ImageDraw.ImageDraw, basemap: dict[str, Any], proj: _Projection) -> None:
    feats = basemap.get("features", [])
    for feat in feats:
        geom, cls = feat.get("geometry") or {}, (feat.get("properties") or {}).get("cls")
        if geom.get("type") == "Polygon" and cls in ("water", "green", "landuse"):
            ring = [proj(lat, lon) for lon, lat in geom["coordinates"][0]]
            if len(ring) >= 3:
                draw.polygon(ring, fill=_FILL_COLORS[cls])
    for wanted in ("path", "minor", "major"):
        color, w = _LINE_STYLES[wanted]
        for feat in feats:
            geom = feat.get("geometry") or {}
            if (feat.get("properties") or {}).get("cls") == wanted and \
                    geom.get("type") == "LineString":
                pts = [proj(lat, lon) for lon, lat in geom["coordinates"]]
                if len(pts) >= 2:
                    draw.line(pts, fill=color, width=w)


#: Printed label style per kind: (size px, bold, colour).
_LABEL_STYLES: dict[str, tuple[int, bool, tuple[int, int, int]]] = {
    "major": (15, True, (60, 60, 60)), "minor": (14, False, (70, 70, 70)),
    "path": (12, False, (110, 110, 110)), "water": (15, False, (40, 100, 160)),
    "green": (14, False, (55, 110, 45)), "square": (14, True, (90, 80, 70))}


def printed_labels(bbox: tuple[float, float, float, float], basemap: dict[str, Any],
                   lang: str = "nl", size: tuple[int, int] = (1400, 1000)) -> list[Placed]:
    """Return the labels :func:`render_map_png` prints for ``bbox`` at ``size``."""
    return _place(basemap, _Projection(bbox, size[0], size[1], margin=30), lang, size)


def _place(basemap: dict[str, Any], proj: _Projection, lang: str,
           frame: tuple[int, int]) -> list[Placed]:
    """Place the names of streets, squares, parks and water without overlaps."""
    items = []
    for lbl in basemap.get("labels") or ():
        coords = lbl.get("line") or ([lbl["point"]] if lbl.get("point") else [])
        text = label_text(lbl, lang)
        if text and coords and lbl.get("kind") in _LABEL_STYLES:
            items.append((str(lbl["kind"]), text, [proj(lat, lon) for lon, lat in coords]))

    def measure(text: str, kind: str) -> tuple[float, float]:
        size, bold, _ = _LABEL_STYLES[kind]
        return float(font(size, bold).getlength(text)), float(size + 2)

    return place_labels(items, measure, frame=(float(frame[0]), float(frame[1])))


def _draw_labels(img: Image.Image, basemap: dict[str, Any], proj: _Projection, lang: str) -> None:
    """Print the placed labels: dark text with a white halo, rotated along the street."""
    for label in _place(basemap, proj, lang, img.size):
        size, bold, colour = _LABEL_STYLES[label.kind]
        f = font(size, bold)
        w, h = int(f.getlength(label.text)) + 8, size + 10
        tile = Image.new("RGBA", (w, h), (255, 255, 255, 0))
        ImageDraw.Draw(tile).text((w / 2, h / 2), label.text, font=f, fill=colour, anchor="mm",
                                  stroke_width=3, stroke_fill=(255, 255, 255))
        tile = tile.rotate(-label.angle, resample=Image.Resampling.BICUBIC, expand=True)
        img.paste(tile, (int(label.x - tile.width / 2), int(label.y - tile.height / 2)), tile)


def _draw_mark(draw: ImageDraw.ImageDraw, xy: tuple[float, float], style: str) -> None:
    x, y = xy
    if style == "place":
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=(120, 120, 120))
    elif style == "actor":
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=(49, 130, 189), outline=(255, 255, 255))
    elif style == "new":
        draw.ellipse((x - 10, y - 10, x + 10, y + 10), fill=STYLE_COLORS["new"],
                     outline=(0, 0, 0), width=2)
    elif style == "changed":
        draw.rectangle((x - 9, y - 9, x + 9, y + 9), fill=STYLE_COLORS["changed"],
                       outline=(0, 0, 0), width=2)
    elif style == "gone":
        c = STYLE_COLORS["gone"]
        draw.line((x - 10, y - 10, x + 10, y + 10), fill=c, width=5)
        draw.line((x - 10, y + 10, x + 10, y - 10), fill=c, width=5)


def _legend(draw: ImageDraw.ImageDraw, lang: str, width: int) -> None:
    f = font(18)
    x0, y0 = 14, 14
    draw.rectangle((x0 - 6, y0 - 6, x0 + 190, y0 + 5 * 30), fill=(255, 255, 255),
                   outline=(160, 160, 160))
    for i, key in enumerate(LEGEND_KEYS):
        y = y0 + i * 30 + 10
        _draw_mark(draw, (x0 + 14, y), key)
        draw.text((x0 + 36, y - 11), t(f"pdfmap.{key}", lang), fill=(20, 20, 20), font=f)


def _scale_bar(draw: ImageDraw.ImageDraw, proj: _Projection, height: int) -> None:
    mpp = proj.metres_per_px()
    length_m = next((m for m in (50, 100, 200, 250, 500, 1000, 2000, 5000)
                     if m / mpp >= 80), 5000)
    px = length_m / mpp
    x0, y0 = 20, height - 24
    draw.rectangle((x0 - 6, y0 - 22, x0 + px + 70, y0 + 10), fill=(255, 255, 255))
    draw.line((x0, y0, x0 + px, y0), fill=(0, 0, 0), width=4)
    label = f"{length_m} m" if length_m < 1000 else f"{length_m // 1000} km"
    draw.text((x0 + px + 8, y0 - 12), label, fill=(0, 0, 0), font=font(16))


def circle_outline(lat: float, lon: float, radius_m: float,
                   n: int = 96) -> list[tuple[float, float]]:
    """Return ``n + 1`` (lat, lon) points of a circle, closed."""
    points = circle_points(lat, lon, radius_m, n)
    return [*points, points[0]]
