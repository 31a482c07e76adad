"""The app frame: navigation with translated page titles and the sidebar.

``app.py`` calls :func:`main`; each page in ``app_pages/`` reads the
:class:`Frame` of the current run with :func:`frame`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError, PermissionDenied
from buurtkaart.auth import login
from buurtkaart.i18n import t
from buurtkaart.ui import data, sidebar, state
from buurtkaart.ui.common import error_text, show_error
from buurtkaart.ui.logic import Filters

PAGES_DIR = Path(__file__).resolve().parent.parent.parent / "app_pages"

#: (file, catalog key of the title, url path, icon), in menu order.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("kaart.py", "nav.kaart", "kaart", ":material/map:"),
    ("actoren.py", "nav.actoren", "actoren", ":material/groups:"),
    ("buurt.py", "nav.buurt", "buurt", ":material/location_city:"),
    ("teamvergadering.py", "nav.teamvergadering", "teamvergadering", ":material/event:"),
    ("inzichten.py", "nav.inzichten", "inzichten", ":material/insights:"),
    ("import_export.py", "nav.import_export", "import-export", ":material/swap_horiz:"),
    ("instellingen.py", "nav.instellingen", "instellingen", ":material/settings:"),
)


@dataclass(frozen=True)
class Frame:
    """What the sidebar decided for this run."""

    lang: str
    map: dict | None
    filters: Filters
    user: str


def page_icon() -> Any:
    """Return the favicon as an image made here (a named icon would load from a CDN)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, 60, 60), fill=(31, 41, 85, 255))
    draw.ellipse((22, 22, 42, 42), fill=(250, 204, 21, 255))
    return img


def _pages(lang: str) -> list:
    return [st.Page(str(PAGES_DIR / fname), title=t(key, lang), url_path=url, icon=icon,
                    default=(i == 0))
            for i, (fname, key, url, icon) in enumerate(PAGES)]


def main() -> None:
    """Set up the page, the sidebar and run the chosen page."""
    st.set_page_config(page_title="buurtkaart", page_icon=page_icon(), layout="wide")
    state.init_state()
    sidebar.language_switch()
    lang = state.lang()
    nav = st.navigation(_pages(lang))  # before the gate: the URL's page survives the login
    login.current_user(data.raw_store(), lang)
    st.sidebar.title("buurtkaart")
    try:
        the_map = sidebar.map_chooser(lang)
        sidebar.user_box(lang)
        cats = [p.category for p in data.imported_places(the_map["id"])] if the_map else []
        flt = sidebar.filters(lang, cats)
    except BuurtkaartError as err:
        st.error(t("app.store_error", lang, error=error_text(err, lang)))
        st.stop()
    st.sidebar.caption(t("app.attribution", lang))
    st.session_state["_frame"] = Frame(lang=lang, map=the_map, filters=flt, user=state.user())
    try:
        nav.run()
    except PermissionDenied as err:  # a page reached past the rules: one line, no traceback
        show_error(err, lang)


def frame() -> Frame:
    """Return the frame of the current run (set by :func:`main`)."""
    value = st.session_state.get("_frame")
    if isinstance(value, Frame):
        return value
    return Frame(lang=state.lang(), map=None, filters=Filters(), user=state.user())
