"""Category icons: one vendored SVG per taxonomy category, never an emoji.

The SVGs come from the Tabler icon set (MIT, https://tabler.io/icons), vendored from
the npm registry by ``scripts/vendor_assets.sh`` into
``buurtkaart/app/static/vendor/tabler-icons/`` (package data, with its LICENSE).
``taxonomy.toml`` names the icon of each category. The map, its legend, the actor
panel and the PDF all draw the icon from here (no emoji font needed). No folium.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from buurtkaart._errors import DataFileError
from buurtkaart.core.categories import categories

#: Folder of the vendored category icons (Tabler, MIT).
ICON_DIR = Path(__file__).resolve().parent.parent / "app" / "static" / "vendor" / "tabler-icons"
#: Icon of an unknown category.
FALLBACK_ICON = "point"
FALLBACK_COLOUR = "#737373"


def icon_path(name: str) -> Path:
    """Return the file of icon ``name`` (a Tabler icon name)."""
    if not re.fullmatch(r"[a-z0-9-]+", name):
        msg = f"icon name {name!r} is not a Tabler icon name (a-z, 0-9, -)"
        raise DataFileError(msg)
    return ICON_DIR / f"{name}.svg"


@lru_cache(maxsize=64)
def _icon_file(name: str) -> str:
    """Return the compacted SVG text of icon ``name`` (without its ``class``)."""
    path = icon_path(name)
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError as e:
        msg = f"icon {path} is missing: run scripts/vendor_assets.sh"
        raise DataFileError(msg) from e
    svg = re.sub(r'\s*class="[^"]*"', "", svg)
    svg = re.sub(r"<path stroke=\"none\" d=\"M0 0h24v24H0z\" fill=\"none\"\s*/>", "", svg)
    return re.sub(r"\s+", " ", svg).replace("> <", "><").replace(" />", "/>").strip()


def icon_svg(category: str, *, color: str | None = None, size: int = 16) -> str:
    """Return the inline SVG icon of ``category`` (one per taxonomy category).

    Parameters
    ----------
    category : str
        A taxonomy key (``buurtkaart/taxonomy.toml``); an unknown key gets a dot.
    color : str, optional
        Stroke colour; the category's own colour by default.
    size : int
        Width and height in pixels.

    Returns
    -------
    str
        ``<svg ...>...</svg>`` with no script, no external reference and no emoji.
    """
    cat = categories().get(category)
    name = cat.icon if cat is not None else FALLBACK_ICON
    stroke = color or (cat.color if cat is not None else FALLBACK_COLOUR)
    if not re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-z]+", stroke):
        msg = f"icon colour {stroke!r} is not a CSS hex colour or name"
        raise DataFileError(msg)
    svg = _icon_file(name).replace("currentColor", stroke)
    return re.sub(r'width="\d+" height="\d+"', f'width="{size}" height="{size}"', svg, count=1)


def icon_data_uri(category: str, *, color: str | None = None, size: int = 16) -> str:
    """Return the icon of ``category`` as a ``data:image/svg+xml;base64,...`` URI (``<img>``)."""
    svg = icon_svg(category, color=color, size=size).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def icon_img(category: str, *, size: int = 16) -> str:
    """Return an ``<img>`` tag of the icon of ``category`` (for Streamlit HTML/markdown)."""
    return (f'<img src="{icon_data_uri(category, size=size)}" width="{size}" height="{size}" '
            'alt="" style="vertical-align:-3px">')
