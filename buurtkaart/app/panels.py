"""The side panel of the Kaart page: what happens after a click."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, live, state, undo
from buurtkaart.app.common import category_label, field_rows, md_escape, show_error
from buurtkaart.app.contacts import contact_form, contact_log, log_open_key
from buurtkaart.app.editform import actor_edit
from buurtkaart.core import vocab
from buurtkaart.core.place import Place
from buurtkaart.i18n import label, t
from buurtkaart.insights.unanswered import unanswered
from buurtkaart.store.types import Actor, Map
from buurtkaart.views.filters import osm_ref, place_display_name, place_facts
from buurtkaart.views.icons import icon_img

DETAIL_FIELDS = ("kind", "formal", "roles", "strength", "status", "leaning", "domain",
                 "contact_person", "last_contact", "notes", "updated_by", "updated_at")


def render(selection: tuple[Any, ...] | None, the_map: Map, actors: Sequence[Actor],
           places: Sequence[Place], lang: str) -> None:
    """Render the panel for the current selection (actor, place, empty map or org)."""
    if not selection:
        st.info(t("panel.hint", lang))
        return
    kind = selection[0]
    if kind == "actor":
        actor = next((a for a in actors if str(a["id"]) == selection[1]), None)
        if actor is None:
            st.info(t("panel.gone", lang))
            return
        actor_panel(actor, lang)
    elif kind == "place":
        place = next((p for p in places if _place_id(p) == selection[1]), None)
        if place is None:
            st.info(t("panel.gone", lang))
            return
        place_panel(place, the_map, lang)
    elif kind == "empty":
        informal_panel(float(selection[1]), float(selection[2]), the_map, lang)
    else:
        st.subheader(md_escape(the_map.get("org_name") or the_map.get("name")))
        st.write(the_map.get("address") or "")


def _name(place: Place, lang: str) -> str:
    """The place's name in ``lang``; an unnamed place: "Gezondheidszorg (zonder naam)"."""
    unnamed = t("pdf.unnamed", lang, cat=category_label(place.category, lang))
    return place_display_name(place, lang, unnamed)


def _place_id(place: Place) -> str:
    return place.osm_id or f"@{round(place.lat, 6)},{round(place.lon, 6)}"


def _need_user(lang: str) -> bool:
    if not state.user():
        st.warning(t("sidebar.user_needed", lang))
        return True
    return False


def may(action: str, map_id: object) -> bool:
    """Return whether this session's user may do ``action`` on the map (rule table).

    Only decides what the page offers; the guarded store enforces the rules anyway.
    """
    return bool(data.get_store().can(action, map_id))


def read_only(action: str, map_id: object, lang: str) -> bool:
    """Say so and return True when the user's role does not allow ``action`` here."""
    if may(action, map_id):
        return False
    st.caption(t("edit.read_only", lang))
    return True


def actor_panel(actor: Actor, lang: str) -> None:
    """Details, the edit form and the contact log ("ploetertijd") of one actor."""
    st.subheader(md_escape(actor.get("name") or "—"))
    live.co_editors(str(actor["id"]), lang)
    field_rows(actor, DETAIL_FIELDS, lang)
    map_id = actor.get("map_id")
    # the contact log first: logging a contact is the everyday action, also on a phone
    contacts = data.get_store().list_contacts(actor_id=actor["id"])
    doubt = unanswered([actor], contacts)["items"]
    if doubt:  # the status and the log disagree: say so where the status is shown
        st.warning(t("panel.unanswered", lang, status=label("status", actor.get("status"), lang),
                     n=doubt[0]["failed"]))
    with st.expander(f"{t('contact.log', lang)} ({len(contacts)})",
                     expanded=bool(st.session_state.pop(log_open_key(str(actor["id"])), False))):
        contact_log(actor["id"], lang)
        if state.user() and may("edit_contacts", map_id):
            contact_form(actor["id"], lang, key=f"panel_contact_{actor['id']}")
    if not _need_user(lang) and not read_only("edit_actors", map_id, lang):
        actor_edit(actor, lang)
    if actor.get("kind") == "person" and may("forget", map_id):
        forget_section(actor, lang)


def forget_section(actor: Actor, lang: str) -> None:
    """Admin only: "Vergeet deze persoon", with a confirmation step.

    Calls ``forget_actor`` through the guarded store, so a non-admin is refused
    in the data layer even if this button were shown.
    """
    key = f"forget_{actor['id']}"
    if not st.session_state.get(key + "_asked"):
        if st.button(t("forget.button", lang), key=key, icon=":material/person_remove:"):
            st.session_state[key + "_asked"] = True
            st.rerun()
        return
    st.warning(t("forget.explain", lang, name=md_escape(actor.get("name") or "—")))
    left, right = st.columns(2)
    if right.button(t("forget.cancel", lang), key=key + "_cancel"):
        st.session_state.pop(key + "_asked", None)
        st.rerun()
    if not left.button(t("forget.confirm", lang), key=key + "_confirm", type="primary"):
        return
    st.session_state.pop(key + "_asked", None)
    try:
        hits = data.get_store().forget_actor(state.user(), actor["id"])
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    state.select(None)
    state.flash(t("forget.done", lang) + (f" {t('forget.name_elsewhere', lang, n=len(hits))}"
                                          if hits else ""))
    st.rerun()


def place_panel(place: Place, the_map: Map, lang: str) -> None:
    """A candidate place: accept (becomes an actor with roles), dismiss or leave."""
    category = category_label(place.category, lang)
    st.subheader(md_escape(_name(place, lang)))
    names = [n for n in (place.name, place.name_nl, place.name_fr)
             if n and n != place_display_name(place, lang)]
    if names:
        st.caption(" · ".join(md_escape(n) for n in dict.fromkeys(names)))
    st.markdown(icon_img(place.category, size=24), unsafe_allow_html=True)  # our own SVG
    st.markdown(f"**{t('field.category', lang)}:** {md_escape(category)}")
    place_source(place, lang)
    st.caption(t("panel.candidate", lang))
    if _need_user(lang) or read_only("edit_actors", the_map["id"], lang):
        return
    with st.form(f"accept_{_place_id(place)}", enter_to_submit=False):
        roles = st.multiselect(t("field.roles", lang), list(vocab.ROLES),
                               placeholder=t("common.choose", lang), key="accept_roles",
                               select_all=False,
                               format_func=lambda k: label("role", k, lang))
        accept = st.form_submit_button(t("place.accept", lang), type="primary",
                                           key="accept_submit")
    if accept:
        if not roles:
            st.error(t("place.need_role", lang))
        else:
            _accept(place, the_map, roles, lang)
    left, right = st.columns(2)
    if left.button(t("place.dismiss", lang), key="place_dismiss"):
        _dismiss(place, the_map, lang)
    if right.button(t("place.leave", lang), key="place_leave"):
        state.select(None)
        st.rerun()


def source_line(place: Place, lang: str) -> str:
    """Return where a place comes from in words: "Uit OpenStreetMap (punt 123)"."""
    ref = osm_ref(place.osm_id)
    if ref is None:
        return t("place.source_other", lang, source=place.source or "—")
    kinds = {"node": t("place.osm_node", lang), "way": t("place.osm_way", lang),
             "relation": t("place.osm_relation", lang)}
    return t("place.source_osm", lang, kind=kinds.get(ref[0], ref[0]), n=ref[1])


def place_source(place: Place, lang: str) -> None:
    """The place's facts (address, hours, website, phone), its source; raw tags folded away."""
    names = {"address": t("place.address", lang), "opening_hours": t("place.opening_hours", lang),
             "website": t("place.website", lang), "phone": t("place.phone", lang)}
    lines = [f"**{names[k]}:** {md_escape(v)}" for k, v in place_facts(place.tags)]
    if lines:
        st.markdown("  \n".join(lines))
    st.caption(md_escape(source_line(place, lang)))
    if place.tags:
        with st.expander(t("place.raw_tags", lang)):
            st.dataframe([{t("place.tag_key", lang): k, t("place.tag_value", lang): v}
                          for k, v in sorted(place.tags.items())],
                         hide_index=True, width="stretch")


def _accept(place: Place, the_map: Map, roles: list[str], lang: str) -> None:
    try:
        named = place if place.name else replace(place, name=_name(place, lang))  # no raw id
        created = data.get_store().accept_places(state.user(), the_map["id"], [named], roles)
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    state.select(("actor", str(created[0]["id"])) if created else None)
    state.flash(t("place.accepted", lang, name=_name(place, lang)))
    st.rerun()


def _dismiss(place: Place, the_map: Map, lang: str) -> None:
    if place.osm_id is None:
        st.error(t("place.no_osm_id", lang))
        return
    try:
        data.get_store().dismiss_place(state.user(), the_map["id"], place.osm_id)
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    state.select(None)
    undo.offer(t("place.dismissed", lang, name=_name(place, lang)), "undismiss",
               map_id=str(the_map["id"]), osm_id=place.osm_id)
    st.rerun()


def informal_panel(lat: float, lon: float, the_map: Map, lang: str) -> None:
    """Click on empty map: add an informal actor here (a person's place is coarse)."""
    st.subheader(t("informal.title", lang))
    st.caption(t("informal.where", lang, lat=f"{lat:.5f}", lon=f"{lon:.5f}"))
    if _need_user(lang) or read_only("edit_actors", the_map["id"], lang):
        return
    with st.form("informal_form", enter_to_submit=False):
        kind = st.selectbox(t("field.kind", lang), list(vocab.KINDS), index=1, key="informal_kind",
                            format_func=lambda k: label("kind", k, lang))
        name = st.text_input(t("field.name", lang), key="informal_name")
        role = st.selectbox(t("field.role", lang), list(vocab.ROLES), key="informal_role",
                            format_func=lambda k: label("role", k, lang))
        st.caption(t("informal.coarse_note", lang))
        submitted = st.form_submit_button(t("informal.add", lang), type="primary",
                                              key="informal_submit")
    if not submitted:
        return
    if not name.strip():
        st.error(t("informal.need_name", lang))
        return
    try:
        actor = data.get_store().add_actor(
            state.user(), the_map["id"], name=name.strip(), kind=kind, formal=False,
            roles=[role], lat=lat, lon=lon, source="app")
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    state.select(("actor", str(actor["id"])))
    state.flash(t("informal.added", lang, name=name.strip()))
    st.rerun()
