"""Per-browser-session state: language, user name, current map, pending edits.

Every key is created with ``setdefault`` so reruns never reset it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from buurtkaart import settings
from buurtkaart.auth.identity import SINGLE_USER_NAME
from buurtkaart.i18n import LANGS, default_lang
from buurtkaart.sources._tiles import default_basemap

DEFAULTS: dict[str, Any] = {
    "user": "",
    "map_id": None,
    "selected": None,          # ("actor", id) | ("place", osm_id) | ("empty", lat, lon)
    "last_click_state": None,  # click fields of the last st_folium value
    "pending_edit": None,      # {"actor_id", "changes", "conflicts"} after a ConflictError
    "show_actor_links": False,
    "basemap": None,           # None until init_state: BUURTKAART_BASEMAP (auto: probe tiles)
    "flash": None,             # one-shot message shown after a rerun
}


#: Query parameters of a link to a map in a language: ``?kaart=<map id>&taal=fr``.
MAP_PARAM, LANG_PARAM = "kaart", "taal"


def init_state() -> None:
    """Create every session key that does not exist yet (idempotent).

    A new session (a reload, a shared link) takes its language from the URL
    (``?taal=fr``) when it names one.
    """
    if "lang" not in st.session_state:
        wanted = st.query_params.get(LANG_PARAM)
        st.session_state["lang_from_url"] = wanted in LANGS
        st.session_state["lang"] = wanted if wanted in LANGS else default_lang()
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    if st.session_state["basemap"] is None:

        # OSM tiles when the tile server answers, else the basemap drawn from the extract.
        st.session_state["basemap"] = default_basemap()
    if single_user() and not st.session_state["user"]:
        st.session_state["user"] = settings.get("BUURTKAART_USER") or SINGLE_USER_NAME


def single_user() -> bool:
    """Return True in single-user mode (no login, a default user name)."""
    return settings.get_bool("BUURTKAART_SINGLE_USER")


def lang() -> str:
    """Return the language chosen in this session."""
    value = st.session_state.get("lang", "nl")
    return value if value in LANGS else "nl"


def user() -> str:
    """Return this session's user name (``""`` until given)."""
    return str(st.session_state.get("user") or "")


def map_id() -> str | None:
    """Return the id of the map chosen in this session."""
    value = st.session_state.get("map_id")
    return str(value) if value else None


def select(selection: tuple[Any, ...] | None) -> None:
    """Remember what was clicked on the map (drives the side panel)."""
    st.session_state["selected"] = selection
    st.session_state["pending_edit"] = None


def flash(message: str) -> None:
    """Queue a success message shown once after the next rerun."""
    st.session_state["flash"] = message


def pop_flash() -> str | None:
    """Return and clear the queued message."""
    message = st.session_state.get("flash")
    st.session_state["flash"] = None
    return message


def set_param(name: str, value: str) -> None:
    """Put ``name=value`` in the page URL (only when it changes)."""
    if st.query_params.get(name) != value:
        st.query_params[name] = value


def link_params(chosen: str | None = None) -> dict[str, str]:
    """Return the query parameters that keep this session's (or ``chosen``) map and language."""
    params = {LANG_PARAM: lang()}
    target = chosen or map_id()
    if target:
        params[MAP_PARAM] = target
    return params


def choose_map(map_id: str) -> None:
    """Switch to ``map_id`` at the next rerun (the sidebar chooser applies it)."""
    st.session_state["next_map_id"] = map_id


def sticky_key(name: str) -> str:
    """Widget key for the sticky value ``name`` in the current language.

    A widget's identity changes with its (translated) label, which would reset
    it on a language switch; the value lives in ``st.session_state[name]`` and
    the widget key carries the language, so a switch keeps the choice.
    """
    return f"_w_{name}_{lang()}"


def sticky(name: str, default: Any) -> Any:
    """Return the stored value of the sticky widget ``name``."""
    return st.session_state.get(name, default)


def remember(name: str, value: Any) -> Any:
    """Store the value a sticky widget returned; return it."""
    st.session_state[name] = value
    return value
