"""The Inzichten page: sentences, charts, the network graph and the walking areas."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from buurtkaart.app import maps
from buurtkaart.app.context import page_context
from buurtkaart.app.data import osm_file
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.core import vocab
from buurtkaart.i18n import format_date, t
from buurtkaart.insights.charts import (
    counts_chart,
    coverage_chart,
    distance_chart,
    island_chart,
    network_chart,
)
from buurtkaart.insights.markdown import md_cell, render_markdown
from buurtkaart.insights.report import build_report, load_map_data, safe_walking
from buurtkaart.store.types import Map
from buurtkaart.views.mapview import build_map
from buurtkaart.walk import SLOW_SPEED_KMH, WalkingArea, walk_speed_kmh, within

_T: dict[str, dict[str, str]] = {
    "speed": {"nl": "Wandeltempo", "fr": "Vitesse de marche", "en": "Walking speed"},
    "normal": {"nl": "Gewoon ({v} km/u)", "fr": "Normale ({v} km/h)", "en": "Normal ({v} km/h)"},
    "slow": {"nl": "Trager, voor senioren ({v} km/u)", "fr": "Plus lente, seniors ({v} km/h)",
             "en": "Slower, for seniors ({v} km/h)"},
    "months": {"nl": "Verwaarloosd na (maanden zonder contact)",
               "fr": "Négligé après (mois sans contact)",
               "en": "Neglected after (months without contact)"},
    "island": {"nl": "Zitten we op een eiland?", "fr": "Sommes-nous sur une île ?",
               "en": "Are we on an island?"},
    "missing": {"nl": "Wie missen we?", "fr": "Qui nous manque ?", "en": "Who are we missing?"},
    "network": {"nl": "Ons netwerk", "fr": "Notre réseau", "en": "Our network"},
    "neglected": {"nl": "Verwaarloosde banden", "fr": "Liens négligés", "en": "Neglected ties"},
    "distance": {"nl": "Afstand", "fr": "Distance", "en": "Distance"},
    "walk": {"nl": "Te voet", "fr": "À pied", "en": "On foot"},
    "counts": {"nl": "Cijfers", "fr": "Chiffres", "en": "Figures"},
    "filter": {"nl": "Enkel actoren binnen {m} minuten wandelen",
               "fr": "Seulement les acteurs à {m} minutes à pied",
               "en": "Only actors within {m} minutes' walk"},
    "download": {"nl": "Memo downloaden (Markdown)", "fr": "Télécharger le mémo (Markdown)",
                 "en": "Download memo (Markdown)"},
    "no_walk": {"nl": "Geen wandelgebieden: {e}", "fr": "Pas de zones de marche : {e}",
                "en": "No walking areas: {e}"},
    "actors": {"nl": "Actoren", "fr": "Acteurs", "en": "Actors"},
    "months_since": {"nl": "Maanden zonder contact", "fr": "Mois sans contact",
                     "en": "Months without contact"},
}
_COLOURS = ("#2c7fb8", "#41b6c4", "#a1dab4", "#ffffcc")


def _t(key: str, lang: str, **kw: object) -> str:
    return _T[key].get(lang, _T[key]["nl"]).format(**kw)


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
    _section(_t("island", lang), report["island_score"]["sentence"][lang])
    st.caption(md_cell(report["island_score"]["definition"][lang]))
    st.altair_chart(island_chart(report, lang), width="stretch")
    _section(_t("missing", lang), report["coverage"]["sentence"][lang])
    if report["coverage"]["categories"]:
        st.altair_chart(coverage_chart(report, lang), width="stretch")
    _section(_t("network", lang), report["bridges"]["sentence"][lang])
    if report["network"]["nodes"]:
        st.altair_chart(network_chart(report, lang), width="stretch")
    _section(_t("neglected", lang), report["neglected"]["sentence"][lang])
    if report["neglected"]["items"]:
        st.dataframe([{t("field.name", lang): i["name"],
                       t("field.strength", lang): vocab.label(vocab.STRENGTHS, i["strength"], lang),
                       t("field.last_contact", lang): format_date(i["last_contact"]),
                       _t("months_since", lang): i["months_since"]}
                      for i in report["neglected"]["items"]], hide_index=True)
    _section(_t("distance", lang), report["distance"]["sentence"][lang])
    if report["distance"]["bands"]:
        st.altair_chart(distance_chart(report, lang), width="stretch")
    _walk_section(report, the_map, data.actors, areas, error, lang)
    _section(_t("counts", lang), report["counts"]["sentence"][lang])
    if report["counts"]["total"]:
        st.altair_chart(counts_chart(report, "by_role", lang), width="stretch")
        st.altair_chart(counts_chart(report, "by_status", lang), width="stretch")
    st.download_button(_t("download", lang), render_markdown(report, lang),
                       file_name=f"inzichten-{the_map.get('name', 'kaart')}.md",
                       mime="text/markdown")


def _controls(lang: str) -> tuple[float, int]:
    normal = walk_speed_kmh()
    left, right = st.columns(2)
    options = {_t("normal", lang, v=f"{normal:g}"): normal,
               _t("slow", lang, v=f"{SLOW_SPEED_KMH:g}"): SLOW_SPEED_KMH}
    choice = left.radio(_t("speed", lang), list(options), key="insights_speed")
    months = right.slider(_t("months", lang), 1, 24, 6, key="insights_months")
    return options[str(choice)], int(months)


def _section(title: str, sentence: str) -> None:
    st.subheader(title)
    st.markdown(md_cell(sentence))


def _walk_section(report: dict[str, Any], the_map: Map, actors: list[dict[str, Any]],
                  areas: list[WalkingArea], error: str | None, lang: str) -> None:
    _section(_t("walk", lang), report["walking_areas"]["sentence"][lang])
    if not areas:
        st.caption(md_cell(_t("no_walk", lang, e=error or "")))
        return
    ten = min(areas, key=lambda a: abs(a.minutes - 10))
    only = st.checkbox(_t("filter", lang, m=f"{ten.minutes:g}"), key="insights_walk_filter")
    shown = within(ten, actors) if only else actors
    _walk_map(the_map, shown, areas, lang)
    st.caption(f"{_t('actors', lang)}: {len(shown)}")
    st.dataframe([{t("field.name", lang): a.get("name"),
                   t("field.strength", lang): vocab.label(vocab.STRENGTHS, a.get("strength"), lang),
                   t("field.status", lang): vocab.label(vocab.STATUSES, a.get("status"), lang)}
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
