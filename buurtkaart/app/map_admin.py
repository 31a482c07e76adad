"""Managing the current map on Instellingen: texts, the organisation's spot, the area,
a new import of the places, and (admins) archiving or deleting the map.

Every change goes through the guarded store (one event each): editors may change
a map (``edit_map``) and import places (``edit_places``), admins archive and
delete it (``manage_map``).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from buurtkaart._dates import newest
from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, state
from buurtkaart.app.areas import area_picker, confirm_map, read_area_places
from buurtkaart.app.common import md_escape, show_error
from buurtkaart.core.area import Area
from buurtkaart.i18n import format_number, t, tn
from buurtkaart.store.types import Map

MOVE_KEY = "move_point"


def point_text(lat: Any, lon: Any) -> str:
    """Return a point as ``50.855120, 4.338700`` (also the address of a moved point)."""
    return f"{float(lat):.6f}, {float(lon):.6f}"


def manage(the_map: Map, lang: str) -> None:
    """Render the management of ``the_map`` (what the user's role allows)."""
    store = data.get_store()
    map_id = str(the_map["id"])
    st.subheader(t("manage.title", lang, name=md_escape(the_map["name"])))
    if not store.can("edit_map", map_id):
        st.caption(t("manage.editors_only", lang))
    else:
        texts_form(the_map, lang)
        point_section(the_map, lang)
        area_section(the_map, lang)
    if store.can("manage_map", map_id):
        archive_section(the_map, lang)
        delete_section(the_map, lang)


def _saved(name: str, lang: str, message: str | None = None) -> None:
    state.flash(message or t("manage.saved", lang, name=name))
    st.rerun()


def texts_form(the_map: Map, lang: str) -> None:
    """Name, organisation and address (text only: the spot is moved on the map)."""
    prefix = f"manage_{the_map['id']}_{the_map['version']}_"
    with st.expander(t("manage.texts", lang)), st.form(prefix + "texts",
                                                        enter_to_submit=False):
        name = st.text_input(t("setup.map_name", lang), value=the_map["name"],
                             key=prefix + "name")
        org = st.text_input(t("setup.org_name", lang), value=the_map.get("org_name") or "",
                            key=prefix + "org")
        address = st.text_input(t("setup.address", lang), value=the_map.get("address") or "",
                                key=prefix + "address")
        ok = st.form_submit_button(t("manage.save", lang), key=prefix + "save")
    if not ok:
        return
    changes = {k: v.strip() for k, v in (("name", name), ("org_name", org),
                                          ("address", address))
               if v.strip() != (the_map.get(k) or "")}  # type: ignore[misc]
    if not changes:
        return
    try:
        saved = data.get_store().update_map(state.user(), the_map["id"], changes,
                                            if_version=the_map["version"])
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    _saved(saved["name"], lang)


def point_section(the_map: Map, lang: str) -> None:
    """The organisation on a map: a click picks the new spot, "Plek opslaan" keeps it."""
    # heavy optional dependency, loaded only when a map is drawn
    from streamlit_folium import st_folium

    moves: dict[str, Any] = st.session_state.setdefault(MOVE_KEY, {})
    map_id = str(the_map["id"])
    pending = moves.get(map_id)
    st.markdown(f"**{t('manage.point', lang)}**")
    if the_map.get("lat") is not None and the_map.get("lon") is not None:
        here = point_text(the_map["lat"], the_map["lon"])
        address = the_map.get("address") or ""
        st.caption(t("manage.point_now", lang, point=here, address=md_escape(address))
                   if address and address != here else t("manage.point_at", lang, point=here))
    if not pending and not st.toggle(t("manage.point_move", lang), key=f"manage_move_{map_id}"):
        return
    st.caption(t("manage.point_help", lang))
    lat, lon = pending["point"] if pending else data.map_point(the_map)
    shown = {"name": the_map["name"], "org_name": the_map.get("org_name"),
             "address": point_text(lat, lon) if pending else the_map.get("address"),
             "lat": lat, "lon": lon}
    ret = st_folium(confirm_map(shown, lang), key=f"manage_map_{map_id}", height=340, zoom=16,
                    center=(lat, lon), use_container_width=True,
                    returned_objects=["last_clicked"])
    clicked = (ret or {}).get("last_clicked")
    if clicked and clicked != (pending or {}).get("click") and clicked != moves.get(
            map_id + ":done"):
        moves[map_id] = {"point": (float(clicked["lat"]), float(clicked["lng"])),
                         "click": clicked}
        st.rerun()
    if pending:
        _confirm_move(the_map, pending, lang)


def _confirm_move(the_map: Map, pending: dict[str, Any], lang: str) -> None:
    map_id = str(the_map["id"])
    lat, lon = pending["point"]
    st.info(t("manage.point_new", lang, point=point_text(lat, lon)))
    address = st.text_input(t("manage.point_address", lang), key=f"manage_point_addr_{map_id}")
    left, right = st.columns(2)
    moves: dict[str, Any] = st.session_state[MOVE_KEY]
    if right.button(t("manage.cancel", lang), key=f"manage_point_cancel_{map_id}"):
        moves[map_id + ":done"] = moves.pop(map_id)["click"]
        st.rerun()
    if not left.button(t("manage.point_save", lang), type="primary",
                       key=f"manage_point_save_{map_id}"):
        return
    changes = {"lat": lat, "lon": lon, "address": address.strip() or point_text(lat, lon)}
    try:
        data.get_store().update_map(state.user(), map_id, changes)
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    moves[map_id + ":done"] = moves.pop(map_id)["click"]
    st.session_state.pop(f"manage_point_addr_{map_id}", None)
    st.session_state.pop(f"manage_move_{map_id}", None)
    state.select(None)
    _saved(the_map["name"], lang, t("manage.point_saved", lang, point=point_text(lat, lon)))


def area_text(area: Any, lang: str) -> str:
    """Describe the map's area in words."""
    if not area:
        return t("manage.no_area", lang)
    if area.get("kind") == "circle" and area.get("radius_m"):
        return t("manage.area_now_circle", lang, m=format_number(int(area["radius_m"]), lang))
    return t("manage.area_now_other", lang, label=md_escape(area.get("label") or "—"))


def area_section(the_map: Map, lang: str) -> None:
    """Change the area (then import its places), or import the same area again."""
    with st.expander(t("manage.area", lang)):
        st.caption(area_text(the_map.get("area"), lang))
        if the_map.get("area") and st.button(t("manage.reimport", lang),
                                             key=f"manage_reimport_{the_map['id']}",
                                             help=t("manage.reimport_help", lang)):
            reimport(the_map, Area.from_dict(the_map["area"]), lang)
        lat, lon = data.map_point(the_map)
        area = area_picker(lat, lon, lang, f"manage_{the_map['id']}")
        if area is not None and st.button(t("manage.area_save", lang),
                                          key=f"manage_area_save_{the_map['id']}"):
            try:
                data.get_store().update_map(state.user(), the_map["id"], {"area": area})
            except BuurtkaartError as err:
                show_error(err, lang)
                return
            reimport(the_map, area, lang)


def reimport(the_map: Map, area: Area, lang: str) -> None:
    """Import the places of ``area`` again: a NEW import, compared with the previous one."""
    store = data.get_store()
    before = newest(store.list_imports(the_map["id"]))
    try:
        with st.spinner(t("setup.progress_read", lang)):
            places, source = read_area_places(area)
            store.import_places(state.user(), the_map["id"], places, source=source,
                                area=area.to_dict())
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    count = int(before["place_count"] or 0) if before else 0
    _saved(the_map["name"], lang, t("manage.reimported", lang,
                                    places=tn("count.places", lang, len(places)),
                                    before=format_number(count, lang)))


def archive_section(the_map: Map, lang: str) -> None:
    """Archive the map (admins), after a sentence saying what that does."""
    key = f"manage_archive_{the_map['id']}"
    with st.expander(t("manage.archive", lang)):
        st.write(t("manage.archive_explain", lang, name=md_escape(the_map["name"])))
        if not st.button(t("manage.archive_confirm", lang), key=key):
            return
        try:
            data.get_store().archive_map(state.user(), the_map["id"])
        except BuurtkaartError as err:
            show_error(err, lang)
            return
        state.remember("map_id", None)
        st.session_state.pop(state.sticky_key("map_id"), None)
        _saved(the_map["name"], lang, t("manage.archived", lang, name=the_map["name"]))


def archived_maps(lang: str) -> None:
    """List the archived maps the user may bring back."""
    store = data.get_store()
    archived = [m for m in store.list_maps(include_archived=True) if m.get("archived_at")
                and store.can("manage_map", m["id"])]
    if not archived:
        return
    with st.expander(t("manage.archived_list", lang)):
        for m in archived:
            if st.button(t("manage.unarchive", lang, name=m["name"]),
                         key=f"manage_unarchive_{m['id']}"):
                store.archive_map(state.user(), m["id"], archived=False)
                state.choose_map(str(m["id"]))
                _saved(m["name"], lang, t("manage.unarchived", lang, name=m["name"]))


def delete_text(the_map: Map, counts: dict[str, int], lang: str) -> str:
    """Say what deleting the map removes, in words with counts."""
    return t("manage.delete_explain", lang, name=md_escape(the_map["name"]),
             actors=tn("count.actors", lang, counts["actor"]),
             contacts=tn("count.contacts", lang, counts["contact"]),
             links=tn("count.links", lang, counts["link"]),
             signals=tn("count.signals", lang, counts["signal"]),
             meetings=tn("count.meetings", lang, counts["meeting"]),
             places=tn("count.imported", lang, counts["places"]),
             members=tn("count.members", lang, counts["members"]))


def delete_section(the_map: Map, lang: str) -> None:
    """Delete the map (admins): the sentence of what goes, and the name typed to confirm."""
    map_id = str(the_map["id"])
    with st.expander(t("manage.delete", lang)):
        counts = data.get_store().map_contents(map_id)
        st.warning(delete_text(the_map, counts, lang))
        with st.form(f"manage_delete_{map_id}", enter_to_submit=False):
            typed = st.text_input(t("manage.delete_type", lang), key=f"manage_delete_name_{map_id}")
            ok = st.form_submit_button(t("manage.delete_confirm", lang), type="primary")
        if not ok:
            return
        if typed.strip() != the_map["name"]:
            st.error(t("manage.delete_mismatch", lang, name=md_escape(the_map["name"])))
            return
        try:
            data.get_store().delete_map(state.user(), map_id, confirm=typed.strip())
        except BuurtkaartError as err:
            show_error(err, lang)
            return
        state.remember("map_id", None)
        st.session_state.pop(state.sticky_key("map_id"), None)
        _saved(the_map["name"], lang, t("manage.deleted", lang, name=the_map["name"]))
