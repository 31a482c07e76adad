"""Vendored Leaflet assets: the map never loads anything from a CDN.

The files live in ``buurtkaart/app/static/vendor/`` (re-vendored from the npm
registry by ``scripts/vendor_assets.sh``) and ``buurtkaart/app/static/js/``, package
data next to the app's entry script. Streamlit serves that ``static/`` folder at
``/app/static/`` (static serving is turned on by ``buurtkaart app`` and
``.streamlit/config.toml``), which is also reachable from inside the
streamlit-folium iframe (same origin). Folium's
own CDN lists (``default_js``/``default_css``) are replaced on every element.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import folium
from branca.element import Element

from buurtkaart._errors import DataFileError
from buurtkaart.views.icons import icon_data_uri, icon_svg

__all__ = ["STATIC_DIR", "asset_urls", "icon_data_uri", "icon_svg", "inline_assets",
           "use_vendored_assets"]

#: The app's static folder (package data; read here as files, never imported).
STATIC_DIR = Path(__file__).resolve().parent.parent / "app" / "static"
#: URL under which Streamlit serves ``static/``.
DEFAULT_ASSET_BASE = "/app/static"

#: (name, path under static/) in load order.
JS_FILES: list[tuple[str, str]] = [
    ("leaflet", "vendor/leaflet/leaflet.js"),
    ("markercluster", "vendor/leaflet.markercluster/leaflet.markercluster.js"),
    ("buurtkaart_map", "js/buurtkaart-map.js"),
    ("buurtkaart_labels", "js/buurtkaart-labels.js"),
    ("buurtkaart_live", "js/buurtkaart-live.js"),
]
CSS_FILES: list[tuple[str, str]] = [
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("markercluster_css", "vendor/leaflet.markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "vendor/leaflet.markercluster/MarkerCluster.Default.css"),
    ("buurtkaart_css", "css/buurtkaart-map.css"),
]


def asset_urls(base: str = DEFAULT_ASSET_BASE) -> tuple[list[tuple[str, str]],
                                                         list[tuple[str, str]]]:
    """Return ``(js, css)`` lists of ``(name, url)`` under ``base``."""
    root = base.rstrip("/")
    return ([(n, f"{root}/{p}") for n, p in JS_FILES],
            [(n, f"{root}/{p}") for n, p in CSS_FILES])


def use_vendored_assets(m: folium.Map, base: str = DEFAULT_ASSET_BASE) -> None:
    """Point every script/stylesheet of ``m`` and its children at the vendored files.

    The map carries the full lists; every other element gets empty lists, so
    neither folium's rendered header nor streamlit-folium's ``js_links`` (which it
    collects from each element's ``default_js``) can name a CDN.
    """
    js, css = asset_urls(base)
    for element in _walk(m):
        if hasattr(element, "default_js") or hasattr(element, "default_css"):
            setattr(element, "default_js", js if element is m else [])  # noqa: B010
            setattr(element, "default_css", css if element is m else [])  # noqa: B010


def _walk(element: Element) -> list[Element]:
    """Return ``element`` and all its descendants."""
    out = [element]
    for child in getattr(element, "_children", {}).values():
        out.extend(_walk(child))
    return out


def _read(relpath: str) -> str:
    """Return the text of a file under ``static/``."""
    path = STATIC_DIR / relpath
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        msg = f"vendored asset {path} is missing: run scripts/vendor_assets.sh"
        raise DataFileError(msg) from e


def _inline_images(css: str, folder: Path) -> str:
    """Replace ``url(images/x.png)`` in ``css`` with data URIs of files in ``folder``."""

    def repl(match: re.Match[str]) -> str:
        path = folder / match.group(1)
        if not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", repl, css)


def inline_assets(page: str, base: str = DEFAULT_ASSET_BASE) -> str:
    """Return ``page`` with the vendored ``<script src>``/``<link>`` tags inlined.

    The result opens from a file (``file://``) or an e-mail with no server.
    """
    js, css = asset_urls(base)
    for (_, url), (_, rel) in zip(js, JS_FILES, strict=True):
        body = _read(rel).replace("</script", "<\\/script")
        page = page.replace(f'<script src="{url}"></script>', f"<script>{body}</script>")
    for (_, url), (_, rel) in zip(css, CSS_FILES, strict=True):
        body = _inline_images(_read(rel), (STATIC_DIR / rel).parent)
        page = page.replace(f'<link rel="stylesheet" href="{url}"/>', f"<style>{body}</style>")
    return page

