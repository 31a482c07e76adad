"""The Inzichten page: sentences, charts, the network graph and the walking areas."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from buurtkaart.app import maps
from buurtkaart.app.context import page_context
from buurtkaart.app.data import osm_file
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.i18n import cell, format_date, format_number, label, t
from buurtkaart.insights.charts import (
    counts_chart,
    coverage_charts,
    distance_chart,
    island_chart,
    network_chart,
)
from buurtkaart.insights.markdown import md_cell, render_markdown
from buurtkaart.insights.report import build_report, load_map_data, safe_walking
from buurtkaart.store.types import Map
from buurtkaart.views.mapview import build_map
from buurtkaart.walk import SLOW_SPEED_KMH, WalkingArea, walk_speed_kmh, within

_COLOURS = ("#2c7fb8", "#41b6c4", "#a1dab4", "#ffffcc")


def page() -> None:
    """The Inzichten page of the navigation."""
    ctx = page_context("nav.inzichten")
    if ctx is not None:
        render_insights_page(ctx.store, ctx.map, ctx.lang, ctx.user)


def render_insights_page(store: GuardedStore, the_map: Map, lang: str = "nl",
                         user: str = "") -> None:
    """Render the insights of ``the_map`` (a store map record) in ``lang``."""
    del user  # read-only page
    speed, months = _controls(lang)
    data = load_map_data(store, str(the_map["id"]))
    minutes = (5.0, 10.0, 15.0)
    areas, error = safe_walking(data, minutes, osm_file(), speed)
    report = build_report(data, today=date.today(), months=months, walking=areas,
                          walking_error=error)
    if report["message"]:
        st.info(report["message"][lang])
    _section(t("insights.island", lang), report["island_score"]["sentence"][lang])
    st.caption(md_cell(report["island_score"]["definition"][lang]))
    st.altair_chart(island_chart(report, lang), width="stretch")
    _section(t("insights.missing", lang), report["coverage"]["sentence"][lang])
    if report["coverage"]["categories"]:
        for chart in coverage_charts(report, lang):
            st.altair_chart(chart, width="stretch")
    _section(t("insights.network", lang), report["bridges"]["sentence"][lang])
    if report["network"]["nodes"]:
        st.altair_chart(network_chart(report, lang), width="stretch")
    _section(t("insights.neglected", lang), report["neglected"]["sentence"][lang])
    if report["neglected"]["items"]:
        st.dataframe([{t("field.name", lang): i["name"],
                       t("field.strength", lang): label("strength", i["strength"], lang),
                       t("field.last_contact", lang): cell(format_date(i["last_contact"]), lang),
                       t("insights.months_since", lang): cell(i["months_since"], lang)}
                      for i in report["neglected"]["items"]], hide_index=True)
    _unanswered_section(report, lang)
    _section(t("insights.distance", lang), report["distance"]["sentence"][lang])
    if report["distance"]["bands"]:
        st.altair_chart(distance_chart(report, lang), width="stretch")
    _walk_section(report, the_map, data.actors, areas, error, lang)
    _section(t("insights.counts", lang), report["counts"]["sentence"][lang])
    if report["counts"]["total"]:
        st.altair_chart(counts_chart(report, "by_role", lang), width="stretch")
        st.altair_chart(counts_chart(report, "by_status", lang), width="stretch")
    st.download_button(t("insights.download", lang), render_markdown(report, lang),
                       file_name=f"inzichten-{the_map.get('name', 'kaart')}.md",
                       mime="text/markdown")


def _unanswered_section(report: dict[str, Any], lang: str) -> None:
    """Ties whose status says "in gesprek" while the last attempts got no answer."""
    _section(t("insights.unanswered", lang), report["unanswered"]["sentence"][lang])
    items = report["unanswered"]["items"]
    if items:
        st.dataframe([{t("field.name", lang): i["name"],
                       t("field.status", lang): label("status", i["status"], lang),
                       t("insights.failed_attempts", lang): i["failed"],
                       t("insights.last_attempt", lang): format_date(i["last_attempt"], lang),
                       t("insights.last_reached", lang): cell(format_date(i["last_reached"],
                                                                          lang), lang)}
                      for i in items], hide_index=True, width="stretch")


def _controls(lang: str) -> tuple[float, int]:
    normal = walk_speed_kmh()
    left, right = st.columns(2)
    options = {t("insights.normal", lang, v=format_number(float(normal), lang)): normal,
               t("insights.slow", lang, v=format_number(SLOW_SPEED_KMH, lang)): SLOW_SPEED_KMH}
    choice = left.radio(t("insights.speed", lang), list(options), key="insights_speed")
    months = right.slider(t("insights.months", lang), 1, 24, 6, key="insights_months")
    return options[str(choice)], int(months)


def _section(title: str, sentence: str) -> None:
    st.subheader(title)
    st.markdown(md_cell(sentence))


def _walk_section(report: dict[str, Any], the_map: Map, actors: list[dict[str, Any]],
                  areas: list[WalkingArea], error: str | None, lang: str) -> None:
    _section(t("insights.walk", lang), report["walking_areas"]["sentence"][lang])
    if not areas:
        st.caption(md_cell(t("insights.no_walk", lang, e=error or "")))
        return
    ten = min(areas, key=lambda a: abs(a.minutes - 10))
    only = st.checkbox(t("insights.filter", lang, m=f"{ten.minutes:g}"), key="insights_walk_filter")
    shown = within(ten, actors) if only else actors
    _walk_map(the_map, shown, areas, lang)
    st.caption(f"{t('insights.actors', lang)}: {len(shown)}")
    st.dataframe([{t("field.name", lang): cell(a.get("name"), lang),
                   t("field.strength", lang): cell(label("strength", a.get("strength"), lang)),
                   t("field.status", lang): cell(label("status", a.get("status"), lang))}
                  for a in shown], hide_index=True)


def _walk_map(the_map: Map, actors: list[dict[str, Any]],
              areas: list[WalkingArea], lang: str) -> None:
    import folium  # heavy optional dependency, loaded only when a map is drawn

    # heavy optional dependency, loaded only when a map is drawn
    from streamlit_folium import st_folium


    fmap = build_map(org=the_map, places=[], actors=actors, lang=lang,
                     **maps.basemap_args(the_map))
    for area, colour in zip(reversed(areas), _COLOURS, strict=False):
        folium.GeoJson(area.to_geojson(), name=area.label(lang), tooltip=area.label(lang),
                       style_function=lambda _f, c=colour: {"color": c, "fillColor": c,
                                                           "weight": 2, "fillOpacity": 0.2},
                       ).add_to(fmap)
    west, south, east, north = areas[-1].geometry.bounds
    fmap.fit_bounds([[south, west], [north, east]])
    st_folium(fmap, key="insights_walk_map", height=480, use_container_width=True,
              returned_objects=[])
