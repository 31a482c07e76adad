"""The Instellingen page: the organisation setup wizard.

Steps: name and address → geocode with the offline index of the extract →
confirm the point on a map (click to move it, or type coordinates) → area
(radius, or a commune/quarter of a boundaries file) → create the map and
import its places with a progress bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from buurtkaart import geocode
from buurtkaart._errors import BuurtkaartError, GeocodeError
from buurtkaart.app import data, map_admin, maps, state
from buurtkaart.app.areas import area_picker, confirm_map, read_area_places
from buurtkaart.app.common import md_escape, show_error, show_flash
from buurtkaart.app.context import current
from buurtkaart.app.screens import kaart
from buurtkaart.core.geo import distance_m
from buurtkaart.i18n import LANG_NAMES, LANGS, format_number, t, tn
from buurtkaart.store.engine import display_name

WIZARD_KEY = "setup"


def page() -> None:
    """The Instellingen page of the navigation."""
    render(current().lang)


def _wizard() -> dict[str, Any]:
    return st.session_state.setdefault(WIZARD_KEY, {"step": 1})


#: precision -> catalog key of the sentence telling the worker what was found
PRECISION_KEYS = {"housenumber": "geocode.precision_housenumber",
                  "interpolated": "geocode.precision_interpolated",
                  "estimated": "geocode.precision_estimated",
                  "street": "geocode.precision_street", "area": "geocode.precision_area",
                  "place": "geocode.precision_place"}
GEOCODE_ERROR_KEYS = {"ambiguous": "geocode.ambiguous", "not_found": "geocode.not_found",
                      "no_street": "geocode.no_street"}


def precision_text(precision: str, lang: str) -> str:
    """Return the sentence for a geocoding precision in ``lang`` ("" when unknown)."""
    key = PRECISION_KEYS.get(precision)
    return t(key, lang) if key else ""


def geocode_error_text(err: GeocodeError, lang: str) -> str:
    """Return a geocoding miss in ``lang``, with the candidates and their commune."""
    key = GEOCODE_ERROR_KEYS.get(err.reason, "geocode.not_found")
    if key == "geocode.not_found" and not err.candidates:
        key = "geocode.not_found_none"
    return t(key, lang, candidates="; ".join(err.candidates))


def geocode_address(address: str, osm_file: Path | None) -> tuple[float, float, str]:
    """Geocode ``address`` offline with the index of ``osm_file`` (None: Nominatim online).

    Raises
    ------
    SourceUnavailable
        Online, when Nominatim cannot be reached (the page shows a Dutch line).

    Returns
    -------
    tuple
        ``(lat, lon, label)`` of the best match.
    """

    result = geocode.geocode(address, osm_file=osm_file)
    get = result.get if isinstance(result, dict) else lambda k, d=None: getattr(result, k, d)
    label = get("label") or get("display_name") or get("address") or address
    commune = get("commune") or ""
    if commune and commune not in label:
        label = f"{label} ({commune})"
    st.session_state.setdefault(WIZARD_KEY, {})["precision"] = get("precision") or ""
    return float(get("lat")), float(get("lon")), str(label)


def render(lang: str) -> None:
    """Render the page: the onboarding on an empty store, else managing the current map
    and, below it, the wizard for a new map (one step at a time, state kept per session)."""
    wiz = _wizard()
    show_flash()
    first = not data.list_maps()
    st.title(t("onboarding.title" if first else "nav.instellingen", lang))
    if first:
        st.markdown(t("onboarding.intro", lang))
    st.caption(t("setup.source", lang, osm=str(data.osm_file()),
               db=display_name(data.store_url())))
    if not state.user():
        st.warning(t("sidebar.user_needed", lang))
        return
    the_map = current().map
    if the_map is not None:
        map_admin.manage(the_map, lang)
    map_admin.archived_maps(lang)
    if first:
        _wizard_steps(wiz, lang)
        return
    st.divider()
    st.subheader(t("manage.new_map", lang))
    _wizard_steps(wiz, lang)


def _wizard_steps(wiz: dict[str, Any], lang: str) -> None:
    st.markdown(f"**{t('setup.title', lang)}**")
    step_org(wiz, lang)
    if wiz.get("lat") is not None:
        step_confirm(wiz, lang)
        step_area(wiz, lang)


def step_org(wiz: dict[str, Any], lang: str) -> None:
    """Step 1: organisation name and address, geocoded offline."""
    with st.form("setup_org", enter_to_submit=False):
        name = st.text_input(t("setup.map_name", lang), value=wiz.get("name", ""),
                             key="setup_name")
        org = st.text_input(t("setup.org_name", lang), value=wiz.get("org_name", ""),
                            key="setup_org")
        address = st.text_input(t("setup.address", lang), value=wiz.get("address", ""),
                                key="setup_address")
        map_lang = st.selectbox(t("setup.map_lang", lang), LANGS, key="setup_map_lang",
                                format_func=lambda c: LANG_NAMES[c])
        online = st.checkbox(t("setup.online", lang), key="setup_online",
                             value=bool(wiz.get("online", False)))
        ok = st.form_submit_button(t("setup.geocode", lang), key="setup_geocode")
    if not ok:
        return
    if not (name.strip() and org.strip() and address.strip()):
        st.error(t("setup.need_all", lang))
        return
    wiz.update(name=name.strip(), org_name=org.strip(), address=address.strip(), lang=map_lang,
               online=bool(online))
    with st.spinner(t("setup.geocoding", lang)):
        try:
            lat, lon, label = geocode_address(address.strip(),
                                              None if online else data.osm_file())
        except GeocodeError as err:
            st.error(geocode_error_text(err, lang))
            return
        except BuurtkaartError as err:
            show_error(err, lang)
            return
    wiz.update(lat=lat, lon=lon, label=label, found=(lat, lon))
    st.session_state.pop(POINT_ADDRESS_KEY, None)


#: the widget key of the address typed for a point moved on the map
POINT_ADDRESS_KEY = "setup_point_address"


def moved_m(wiz: dict[str, Any]) -> float | None:
    """Metres between the wizard's point and the geocoded one; None when not moved."""
    found = wiz.get("found")
    if not found or wiz.get("lat") is None:
        return None
    metres = distance_m(float(found[0]), float(found[1]), float(wiz["lat"]), float(wiz["lon"]))
    return metres if metres >= 0.5 else None


def point_sentence(wiz: dict[str, Any], lang: str) -> str:
    """Say where the organisation will stand: the address found, or the corrected point."""
    metres = moved_m(wiz)
    if metres is None:
        return t("setup.confirm", lang, label=md_escape(wiz.get("label", "")))
    return t("setup.moved", lang, point=map_admin.point_text(wiz["lat"], wiz["lon"]),
             m=format_number(round(metres), lang))


def map_address(wiz: dict[str, Any]) -> str:
    """The address stored with the new map, as "Plek verplaatsen" stores it: the typed
    address, or for a point corrected on the map, the address typed for it or the point."""
    if moved_m(wiz) is None:
        return str(wiz["address"])
    typed = str(st.session_state.get(POINT_ADDRESS_KEY) or "").strip()
    return typed or map_admin.point_text(wiz["lat"], wiz["lon"])


def step_confirm(wiz: dict[str, Any], lang: str) -> None:
    """Step 2: show the point on the map (vendored assets only); a click moves it."""
    # heavy optional dependency, loaded only when a map is drawn
    from streamlit_folium import st_folium

    said = st.container()  # filled last: the typed coordinates count too
    basemap_choice(lang)
    ret = st_folium(confirm_map(wiz, lang), key="setup_map", height=380, zoom=16,
                    center=(wiz["lat"], wiz["lon"]), use_container_width=True,
                    returned_objects=["last_clicked"])
    clicked = (ret or {}).get("last_clicked")
    if clicked and clicked != wiz.get("last_click"):
        wiz.update(last_click=clicked, lat=float(clicked["lat"]), lon=float(clicked["lng"]))
        st.rerun()
    cols = st.columns(2)
    wiz["lat"] = cols[0].number_input(t("meeting.lat", lang), value=float(wiz["lat"]),
                                      format="%.6f")
    wiz["lon"] = cols[1].number_input(t("meeting.lon", lang), value=float(wiz["lon"]),
                                      format="%.6f")
    said.markdown(point_sentence(wiz, lang))
    if moved_m(wiz) is None:
        if precision_text(wiz.get("precision", ""), lang):
            said.info(precision_text(wiz["precision"], lang))
    else:
        st.text_input(t("manage.point_address", lang), key=POINT_ADDRESS_KEY)


def basemap_choice(lang: str) -> None:
    """The basemap switch (shared with the Kaart page)."""
    maps.basemap_radio(st, lang)


def step_area(wiz: dict[str, Any], lang: str) -> None:
    """Step 3: choose the area, then create the map and import its places."""
    area = area_picker(wiz["lat"], wiz["lon"], lang, "setup")
    if area is None:
        return
    if st.button(t("setup.create", lang), type="primary", key="setup_create"):
        create_and_import(wiz, area, lang)


def create_and_import(wiz: dict[str, Any], area: Any, lang: str) -> None:
    """Read the places in the area (extract or online), then create the map and import them.

    The places are read first: when a live source is down, no empty map is left behind.
    """
    store = data.get_store()
    bar = st.progress(0, text=t("setup.progress_read", lang))
    try:
        places, source = read_area_places(area, online=bool(wiz.get("online")))
        bar.progress(40, text=t("setup.progress_map", lang))
        the_map = store.create_map(state.user(), name=wiz["name"], org_name=wiz["org_name"],
                                   lat=wiz["lat"], lon=wiz["lon"], address=map_address(wiz),
                                   area=area.to_dict(), lang=wiz.get("lang", "nl"))
        bar.progress(70, text=t("setup.progress_import", lang, n=len(places)))
        store.import_places(state.user(), the_map["id"], places, source=source,
                            area=area.to_dict())
    except BuurtkaartError as err:
        bar.empty()
        show_error(err, lang)
        return
    bar.progress(100, text=t("setup.progress_done", lang,
                                         places=tn("count.places", lang, len(places))))
    state.choose_map(str(the_map["id"]))
    st.session_state[WIZARD_KEY] = {"step": 1}
    for key in ("setup_name", "setup_org", "setup_address", POINT_ADDRESS_KEY):
        st.session_state.pop(key, None)  # the form starts empty: no second map by accident
    state.flash(t("setup.done", lang, name=wiz["name"],
                  places=tn("count.places", lang, len(places))))
    go_to_map(str(the_map["id"]))


def go_to_map(map_id: str) -> None:
    """Open the Kaart page on ``map_id`` (after creating a map, the worker sees it)."""
    st.switch_page(st.Page(kaart.page, url_path="kaart"),
                   query_params=state.link_params(map_id))
