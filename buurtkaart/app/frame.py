"""The app frame: navigation with translated page titles and the sidebar.

The entry script (:mod:`buurtkaart.app.main`) calls :func:`run`. Every page is a
function of a module in :mod:`buurtkaart.app.screens`, registered here with
``st.Page``; each page reads the :class:`~buurtkaart.app.context.Frame` of the
run with :func:`buurtkaart.app.context.current`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError, PermissionDenied
from buurtkaart.app import data, live, login, sidebar, state
from buurtkaart.app.common import error_text, layout_css, show_error, uploader_css
from buurtkaart.app.context import FRAME_KEY, Frame
from buurtkaart.app.screens import (
    actoren,
    buurt,
    import_export,
    instellingen,
    inzichten,
    kaart,
    teamvergadering,
)
from buurtkaart.i18n import t

#: (page function, catalog key of the title, url path, icon), in menu order.
PAGES: tuple[tuple[Callable[[], None], str, str, str], ...] = (
    (kaart.page, "nav.kaart", "kaart", ":material/map:"),
    (actoren.page, "nav.actoren", "actoren", ":material/groups:"),
    (buurt.page, "nav.buurt", "buurt", ":material/location_city:"),
    (teamvergadering.page, "nav.teamvergadering", "teamvergadering", ":material/event:"),
    (inzichten.page, "nav.inzichten", "inzichten", ":material/insights:"),
    (import_export.page, "nav.import_export", "import-export", ":material/swap_horiz:"),
    (instellingen.page, "nav.instellingen", "instellingen", ":material/settings:"),
)


def page_icon() -> Any:
    """Return the favicon as an image made here (a named icon would load from a CDN)."""
    # heavy optional dependency, loaded only to draw the favicon
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, 60, 60), fill=(31, 41, 85, 255))
    draw.ellipse((22, 22, 42, 42), fill=(250, 204, 21, 255))
    return img


def _pages(lang: str) -> list[Any]:
    return [st.Page(func, title=t(key, lang), url_path=url, icon=icon, default=(i == 0))
            for i, (func, key, url, icon) in enumerate(PAGES)]


def run() -> None:
    """Set up the page, the sidebar and run the chosen page."""
    st.set_page_config(page_title="buurtkaart", page_icon=page_icon(), layout="wide")
    state.init_state()
    layout_css()
    sidebar.language_switch()
    lang = state.lang()
    uploader_css(lang)
    nav = st.navigation(_pages(lang))  # before the gate: the URL's page survives the login
    login.current_user(data.raw_store(), lang)
    st.sidebar.title("buurtkaart")
    try:
        the_map = sidebar.map_chooser(lang)
        sidebar.user_box(lang)
        live.sidebar(the_map, nav.url_path or PAGES[0][2], lang)
        cats = [p.category for p in data.imported_places(the_map["id"])] if the_map else []
        flt = sidebar.filters(lang, cats)
    except BuurtkaartError as err:
        st.error(t("app.store_error", lang, error=error_text(err, lang)))
        st.stop()
    st.sidebar.caption(t("app.attribution", lang))
    st.session_state[FRAME_KEY] = Frame(lang=lang, map=the_map, filters=flt, user=state.user())
    try:
        nav.run()
    except PermissionDenied as err:  # a page reached past the rules: one line, no traceback
        show_error(err, lang)
