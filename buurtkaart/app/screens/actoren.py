"""The Actoren page: the actor register, links between actors, contact log."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, maps, state
from buurtkaart.app.common import md_escape, show_error, show_flash, value_label
from buurtkaart.app.contacts import contact_form, contact_log
from buurtkaart.app.context import current
from buurtkaart.core import vocab
from buurtkaart.i18n import label, t, tn
from buurtkaart.store.types import Actor, Map
from buurtkaart.views.filters import Filters

TABLE_FIELDS = ("name", "kind", "formal", "roles", "strength", "status", "leaning",
                "last_contact", "updated_by")
#: Column widths of the register (the name stays in view when the table scrolls sideways).
TABLE_WIDTHS: dict[str, Literal["small", "medium", "large"]] = {
    "name": "medium", "formal": "small", "roles": "medium"}
LINK_TYPES = tuple(vocab.LINK_TYPES)


def page() -> None:
    """The Actoren page of the navigation."""
    frame = current()
    render(frame.map, frame.filters, frame.lang)


def actor_table(actors: list[Actor], lang: str) -> pd.DataFrame:
    """Return the register as a table with translated headers and labels."""
    rows = [{t("field." + f, lang): value_label(f, a.get(f), lang) for f in TABLE_FIELDS}
            for a in sorted(actors, key=lambda a: str(a.get("name") or "").lower())]
    return pd.DataFrame(rows, columns=[t("field." + f, lang) for f in TABLE_FIELDS])


def table_columns(lang: str) -> dict[str, Any]:
    """Return the ``column_config`` of the register: widths, the name pinned on the left."""
    return {t("field." + f, lang): st.column_config.Column(
        width=TABLE_WIDTHS.get(f), pinned=f == "name") for f in TABLE_FIELDS}


def render(the_map: Map | None, flt: Filters, lang: str) -> None:
    """Render the Actoren page."""
    st.title(t("nav.actoren", lang))
    if the_map is None:
        st.info(t("map.no_map", lang))
        return
    show_flash()
    store = data.get_store()
    actors = list(store.list_actors(the_map["id"]))
    shown = maps.shown_actors(actors, the_map, flt, lang)
    st.caption(t("actors.count", lang, shown=len(shown),
                 total=tn("count.actors", lang, len(actors))))
    st.subheader(t("actors.register", lang))
    st.dataframe(actor_table(shown, lang), hide_index=True, width="stretch",
                 column_config=table_columns(lang))
    names = {str(a["id"]): str(a.get("name") or a["id"]) for a in actors}
    links_section(the_map, names, lang)
    contacts_section(names, str(the_map["id"]), lang)


def link_type_label(kind: object, lang: str) -> str:
    """Return the translated label of a link type (the stored value when unknown)."""
    if kind in LINK_TYPES:
        return label("link_type", kind, lang)
    return str(kind or "—")


def links_section(the_map: Map, names: dict[str, str], lang: str) -> None:
    """List the links between actors and add new ones."""
    st.subheader(t("links.title", lang))
    links = list(data.get_store().list_links(the_map["id"]))
    if links:
        st.markdown("\n".join(
            f"- {md_escape(names.get(str(k['from_id']), '?'))} → "
            f"{md_escape(names.get(str(k['to_id']), '?'))} · "
            f"{md_escape(link_type_label(k.get('type'), lang))} · "
            f"{label('strength', k.get('strength'), lang)}" for k in links))
    else:
        st.caption(t("links.none", lang))
    if not state.user() or len(names) < 2 or not data.get_store().can("edit_links",
                                                                      the_map["id"]):
        return
    with st.form("link_form", clear_on_submit=True, enter_to_submit=False):
        ids = sorted(names, key=lambda i: names[i].lower())
        left, right = st.columns(2)
        src = left.selectbox(t("links.from", lang), ids, key="link_from",
                             format_func=lambda i: names[i])
        dst = right.selectbox(t("links.to", lang), ids, index=1, key="link_to",
                              format_func=lambda i: names[i])
        kind = st.selectbox(t("links.type", lang), LINK_TYPES, key="link_type",
                            format_func=lambda k: label("link_type", k, lang))
        strength = st.select_slider(t("field.strength", lang), options=list(vocab.STRENGTHS),
                                    value=1,
                                    format_func=lambda k: label("strength", k, lang))
        note = st.text_input(t("field.note", lang))
        ok = st.form_submit_button(t("links.add", lang), key="link_submit")
    if ok:
        _add_link(the_map, src, dst, kind, int(strength), note, lang)


def _add_link(the_map: Map, src: str, dst: str, kind: str, strength: int, note: str,
              lang: str) -> None:
    if src == dst:
        st.error(t("links.same", lang))
        return
    try:
        data.get_store().add_link(state.user(), the_map["id"], src, dst, kind,
                                  strength=strength, note=note.strip())
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    state.flash(t("links.added", lang))
    st.rerun()


def contacts_section(names: dict[str, str], map_id: str, lang: str) -> None:
    """Pick an actor; show and extend its contact log."""
    st.subheader(t("contact.log", lang))
    if not names:
        return
    ids = sorted(names, key=lambda i: names[i].lower())
    actor_id = st.selectbox(t("contact.actor", lang), ids, key="contacts_actor",
                            format_func=lambda i: names[i])
    contact_log(actor_id, lang)
    if state.user() and data.get_store().can("edit_contacts", map_id):
        contact_form(actor_id, lang, key="actoren_contact_form")
