"""Pages filled by other parts of buurtkaart (meeting, insights, exchange).

Each placeholder page calls ``render(ctx)`` in a module owned by that part,
when it exists; until then it shows a short notice. The context gives the
opened store, the current map, the language and the user name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import streamlit as st

from buurtkaart.i18n import t

#: page key -> (module, function) that renders the page body.
PAGE_BODIES: dict[str, tuple[str, str]] = {
    "buurt": ("buurtkaart.meeting.page", "render_buurt"),
    "teamvergadering": ("buurtkaart.meeting.page", "render_meeting"),
    "inzichten": ("buurtkaart.insights.page", "render"),
    "import_export": ("buurtkaart.exchange.page", "render"),
}


@dataclass(frozen=True)
class PageContext:
    """What a page body needs: store, current map, language, user name."""

    store: Any
    map: dict | None
    lang: str
    user: str


def render_external(page: str, ctx: PageContext) -> None:
    """Call the body of ``page`` from its package, or show that it is coming."""
    module_name, func_name = PAGE_BODIES[page]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name is None or not module_name.startswith(err.name):
            raise
        st.info(t("page.coming", ctx.lang))
        return
    func = getattr(module, func_name, None)
    if func is None:
        st.info(t("page.coming", ctx.lang))
        return
    func(ctx)


def page(key: str) -> None:
    """Body of a placeholder page: its title, then the part's own renderer."""
    from buurtkaart.ui import data
    from buurtkaart.ui.app import frame

    current = frame()
    st.title(t("nav." + key, current.lang))
    if current.map is None:
        st.info(t("map.no_map", current.lang))
        return
    render_external(key, PageContext(store=data.get_store(), map=current.map,
                                     lang=current.lang, user=current.user))
