"""What a page knows about the current run: language, map, filters, user, store.

:func:`buurtkaart.app.frame.run` decides these in the sidebar and keeps them as a
:class:`Frame` in the session; every page reads them with :func:`current`, or
with :func:`page_context` when it needs the store too.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from buurtkaart.app import data, state
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.i18n import t
from buurtkaart.store.types import Map
from buurtkaart.views.filters import Filters

FRAME_KEY = "_frame"


@dataclass(frozen=True)
class Frame:
    """What the sidebar decided for this run."""

    lang: str
    map: Map | None
    filters: Filters
    user: str


@dataclass(frozen=True)
class PageContext:
    """What a page body needs: store, current map, language, user name."""

    store: GuardedStore
    map: Map
    lang: str
    user: str


def current() -> Frame:
    """Return the frame of the current run (set by :func:`buurtkaart.app.frame.run`)."""
    value = st.session_state.get(FRAME_KEY)
    if isinstance(value, Frame):
        return value
    return Frame(lang=state.lang(), map=None, filters=Filters(), user=state.user())


def page_context(title_key: str) -> PageContext | None:
    """Show the page title; return the page's context, or None (and say so) without a map."""
    frame = current()
    st.title(t(title_key, frame.lang))
    if frame.map is None:
        st.info(t("map.no_map", frame.lang))
        return None
    return PageContext(store=data.get_store(), map=frame.map, lang=frame.lang, user=frame.user)
