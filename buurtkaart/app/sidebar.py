"""The sidebar: language, map chooser, user name and filters."""

from __future__ import annotations

from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, state, walking
from buurtkaart.app.common import category_label
from buurtkaart.app.screens import instellingen
from buurtkaart.core import vocab
from buurtkaart.i18n import LANG_NAMES, LANGS, label, t
from buurtkaart.store.types import Map
from buurtkaart.views.filters import Filters


def language_switch() -> None:
    """Language selector (Dutch first); the choice lives in ``st.session_state.lang``.

    The language is also put in the URL (``?taal=``), so a reload or a shared
    link keeps it; a user's remembered language is applied by :func:`map_chooser`.
    """
    pending = st.session_state.pop("next_lang", None)
    if pending in LANGS:
        st.session_state["lang"] = pending
    st.sidebar.selectbox("Taal · Langue · Language", LANGS, key="lang",
                         format_func=lambda code: LANG_NAMES[code])
    state.set_param(state.LANG_PARAM, state.lang())


def _preferences() -> dict[str, str]:
    """The preferences the logged-in user kept (read once per session)."""
    if "prefs" not in st.session_state:
        try:
            st.session_state["prefs"] = dict(data.get_store().get_preferences(state.user()))
        except BuurtkaartError:
            st.session_state["prefs"] = {}
    return dict(st.session_state["prefs"])


def _keep(name: str, value: str) -> None:
    """Remember ``name`` for the user in the store when it changed (UI state, no event)."""
    prefs = _preferences()
    if prefs.get(name) == value or not state.user():
        return
    try:
        data.get_store().set_preference(state.user(), name, value)
    except BuurtkaartError:
        return  # a preference is a convenience: never block the page for it
    st.session_state["prefs"] = {**prefs, name: value}


def _restore(ids: list[str]) -> str | None:
    """On a session's first run: the map of the URL, else the user's last map and language."""
    if st.session_state.get("restored"):
        return None
    st.session_state["restored"] = True
    prefs = _preferences()
    if not st.session_state.get("lang_from_url") and prefs.get("lang") in LANGS \
            and prefs["lang"] != state.lang():
        st.session_state["next_lang"] = prefs["lang"]
        st.session_state["restored_map"] = _wanted_map(ids, prefs)
        st.rerun()
    return _wanted_map(ids, prefs)


def _wanted_map(ids: list[str], prefs: dict[str, str]) -> str | None:
    from_url = st.query_params.get(state.MAP_PARAM)
    if from_url in ids:
        return str(from_url)
    return prefs.get("map_id") if prefs.get("map_id") in ids else None


def map_chooser(lang: str) -> Map | None:
    """Choose the map of this session; return its record (None when the store has none).

    Order: a map just created or switched to, then (on a new session) the URL's
    ``?kaart=`` and the user's last map, then the session's choice. The choice is
    put in the URL and remembered for the user.
    """
    maps = data.list_maps()
    if not maps:
        st.sidebar.info(t("sidebar.no_maps", lang))
        onboarding_once(lang)
        return None
    ids = [str(m["id"]) for m in maps]
    names = {str(m["id"]): str(m["name"]) for m in maps}
    wkey = state.sticky_key("map_id")
    wanted = st.session_state.pop("next_map_id", None) or st.session_state.pop(
        "restored_map", None) or _restore(ids)
    if wanted in ids:
        st.session_state[wkey] = wanted  # moves the widget in the browser too
        state.remember("map_id", wanted)
    current = state.map_id()
    kwargs: dict[str, Any] = {}
    if st.session_state.get(wkey) not in ids:
        st.session_state.pop(wkey, None)
        kwargs["index"] = ids.index(current) if current in ids else 0
    chosen = st.sidebar.selectbox(t("sidebar.map", lang), ids, key=wkey,
                                  format_func=lambda i: names.get(i, i), **kwargs)
    if current is not None and chosen != current:
        state.select(None)  # a click on another map means nothing here
    state.remember("map_id", chosen)
    state.set_param(state.MAP_PARAM, str(chosen))
    _keep("map_id", str(chosen))
    _keep("lang", lang)
    return data.current_map(chosen)


def onboarding_once(lang: str) -> None:
    """On an empty store, open the onboarding (Instellingen) once per session."""
    if st.session_state.get("onboarded"):
        return
    st.session_state["onboarded"] = True
    st.switch_page(st.Page(instellingen.page, url_path="instellingen"),
                   query_params={state.LANG_PARAM: lang})


def user_box(lang: str) -> None:
    """Say who edits: in single-user mode, the default name every change is attributed to.

    The name itself comes from the login gate (:func:`buurtkaart.app.login.current_user`),
    which also shows "Ingelogd als ..." and the logout button.
    """
    if state.single_user() and state.user():
        st.sidebar.caption(t("sidebar.single_user", lang, user=state.user()))


def filters(lang: str, categories: list[str]) -> Filters:
    """Render the filters and return the active ones (kept across language switches)."""
    st.sidebar.subheader(t("sidebar.filters", lang))
    cat_options = sorted(set(categories))
    roles = st.sidebar.multiselect(
        t("field.roles", lang), list(vocab.ROLES), key=state.sticky_key("flt_roles"),
        default=state.sticky("flt_roles", []), placeholder=t("common.choose", lang),
        select_all=False, format_func=lambda k: label("role", k, lang))
    cats = st.sidebar.multiselect(
        t("field.category", lang), cat_options, key=state.sticky_key("flt_categories"),
        default=[c for c in state.sticky("flt_categories", []) if c in cat_options],
        placeholder=t("common.choose", lang), select_all=False,
        format_func=lambda k: category_label(k, lang))
    strength = st.sidebar.select_slider(
        t("filter.min_strength", lang), options=list(vocab.STRENGTHS),
        value=state.sticky("flt_strength", 0), key=state.sticky_key("flt_strength"),
        format_func=lambda k: label("strength", k, lang))
    months = st.sidebar.number_input(
        t("filter.no_contact_months", lang), min_value=0, max_value=120, step=1,
        value=state.sticky("flt_months", 0), key=state.sticky_key("flt_months"))
    walk = st.sidebar.selectbox(
        t("filter.walk_minutes", lang), [0, *walking.MINUTES], key=state.sticky_key("flt_walk"),
        index=[0, *walking.MINUTES].index(state.sticky("flt_walk", 0)),
        format_func=lambda m: walking.minutes_label(m, lang))
    state.remember("flt_walk", int(walk))
    state.remember("flt_roles", list(roles))
    state.remember("flt_categories", list(cats))
    state.remember("flt_strength", int(strength))
    state.remember("flt_months", int(months))
    return Filters(roles=tuple(roles), categories=tuple(cats), min_strength=int(strength),
                   no_contact_months=int(months), walk_minutes=int(walk))
