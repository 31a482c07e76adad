"""The Buurt page: signals (timeline, map, list, add), OSM draft review, agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data
from buurtkaart.app.agenda import render_agenda
from buurtkaart.app.common import md_escape, show_error, show_flash
from buurtkaart.app.context import PageContext, page_context
from buurtkaart.app.meeting_maps import signals_map
from buurtkaart.app.meeting_osm import render_newer_extract
from buurtkaart.app.state import flash
from buurtkaart.core import vocab
from buurtkaart.i18n import format_date, label, t
from buurtkaart.meeting.collect import open_drafts
from buurtkaart.meeting.signals import in_period, validate_signal

#: Fields of a signal record (draft signals carry extra keys that are not stored).
SIGNAL_FIELDS = ("date", "type", "title", "description", "lat", "lon", "area", "source",
                 "tags", "status")


def page() -> None:
    """The Buurt page of the navigation."""
    ctx = page_context("nav.buurt")
    if ctx is not None:
        render_buurt_page(ctx)


def render_buurt_page(ctx: PageContext) -> None:
    """Render the Buurt page for ``ctx.map``."""
    lang = ctx.lang
    today = dt.date.today()
    show_flash()  # above the tabs: a saved signal or activity is seen whichever tab is open
    tabs = st.tabs([t("meeting.signals", lang), t("meeting.drafts", lang),
                    t("meeting.tab_agenda", lang)])
    with tabs[0]:
        _signals(ctx, today)
    with tabs[1]:
        _drafts(ctx, today)
        render_newer_extract(ctx)  # upload or pick a newer extract, checked, with progress
    with tabs[2]:
        render_agenda(ctx, today, "bt")


def timeline_rows(signals: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Return one chart row per signal: its day, translated type and title."""
    return [{"date": str(s["date"])[:10], "type": label("signal_type", s["type"], lang),
             "title": str(s.get("title") or ""), "day": format_date(s["date"], lang)}
            for s in signals]


def timeline_chart(signals: Sequence[Mapping[str, Any]], lang: str) -> Any:
    """Return an Altair timeline: one point per signal on its day, a lane per type."""
    import altair as alt  # heavy optional dependency, loaded only when a chart is drawn
    import pandas as pd  # heavy optional dependency, loaded only for tables and charts

    df = pd.DataFrame(timeline_rows(signals, lang), columns=["date", "type", "title", "day"])
    return (alt.Chart(df).mark_circle(size=110, opacity=0.8)
            .encode(x=alt.X("date:T", title=t("field.date", lang),
                            axis=alt.Axis(format="%d/%m/%Y", labelAngle=0, tickCount=6)),
                    y=alt.Y("type:N", title=None, axis=alt.Axis(labelLimit=200)),
                    color=alt.Color("type:N", legend=None),
                    tooltip=[alt.Tooltip("day:N", title=t("field.date", lang)),
                             alt.Tooltip("type:N", title=t("meeting.type", lang)),
                             alt.Tooltip("title:N", title=t("meeting.title", lang))])
            .properties(height=alt.Step(34)))


def _signals(ctx: PageContext, today: dt.date) -> None:
    lang = ctx.lang
    c1, c2 = st.columns(2)
    period = c1.date_input(t("meeting.period", lang), value=(today - dt.timedelta(days=365), today),
                           key="bt_period", format="DD/MM/YYYY")
    start, end = (period if isinstance(period, tuple) and len(period) == 2 else (None, None))
    types = c2.multiselect(t("meeting.types", lang), list(vocab.SIGNAL_TYPES), key="bt_types",
                           placeholder=t("common.choose", lang), select_all=False,
                           format_func=lambda k: label("signal_type", k, lang))
    shown = [s for s in in_period(ctx.store.list_signals(ctx.map["id"], status="accepted"),
                                  start, end) if not types or s["type"] in types]
    if not shown:
        st.caption(t("meeting.no_signals", lang))
    else:
        st.altair_chart(timeline_chart(shown, lang), width="stretch")
        left, right = st.columns([2, 3])
        with left:
            st.markdown("\n".join(
                f"- **{format_date(s['date'], lang)}** "
                f"{md_escape(label('signal_type', s['type'], lang))}"
                f": {md_escape(s['title'])}" for s in reversed(shown[-50:])))
        with right:
            signals_map(ctx, shown, key="bt_signal_map")
    with st.expander(t("meeting.add_signal", lang)):
        _add_signal(ctx, today)


def _add_signal(ctx: PageContext, today: dt.date) -> None:
    lang = ctx.lang
    with st.form("bt_signal_form", clear_on_submit=True, enter_to_submit=False):
        day = st.date_input(t("meeting.start", lang), value=today, key="bt_sig_date",
                            format="DD/MM/YYYY")
        kind = st.selectbox(t("meeting.type", lang), list(vocab.SIGNAL_TYPES), key="bt_sig_type",
                            format_func=lambda k: label("signal_type", k, lang))
        title = st.text_input(t("meeting.title", lang), key="bt_sig_title")
        description = st.text_area(t("meeting.description", lang), key="bt_sig_desc")
        source = st.text_input(t("meeting.source", lang), key="bt_sig_source")
        tags = st.text_input(t("meeting.tags", lang), key="bt_sig_tags")
        located = st.checkbox(t("meeting.located", lang), value=True, key="bt_sig_located")
        c1, c2 = st.columns(2)
        lat0, lon0 = data.map_point(ctx.map)
        lat = c1.number_input(t("meeting.lat", lang), value=lat0, format="%.6f",
                              key="bt_sig_lat")
        lon = c2.number_input(t("meeting.lon", lang), value=lon0, format="%.6f",
                              key="bt_sig_lon")
        submitted = st.form_submit_button(t("meeting.add", lang))
    if not submitted:
        return
    if not title.strip():
        st.error(t("form.need_title", lang))
        return
    try:
        sig = validate_signal({
            "date": (day if isinstance(day, dt.date) else today).isoformat(), "type": kind,
            "title": title, "description": description, "source": source or "manual",
            "tags": [t.strip() for t in tags.split(",") if t.strip()], "status": "accepted",
            "lat": lat if located else None, "lon": lon if located else None})
        ctx.store.add_signal(ctx.user, ctx.map["id"], **sig)
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    for name in ("title", "desc", "source", "tags"):
        st.session_state.pop(f"bt_sig_{name}", None)  # the form starts empty again
    flash(t("meeting.saved", lang))  # shown after the rerun (a success line would be lost)
    st.rerun()


def _decide(ctx: PageContext, drafts: list[dict[str, Any]], status: str) -> None:
    for d in drafts:
        rec = {k: d.get(k) for k in SIGNAL_FIELDS} | {"status": status}
        ctx.store.add_signal(ctx.user, ctx.map["id"], **rec)


def _drafts(ctx: PageContext, today: dt.date) -> None:
    lang = ctx.lang
    st.caption(t("meeting.drafts_help", lang))
    try:
        drafts = open_drafts(ctx.store, ctx.map["id"], lang, today)
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    if not drafts:
        st.info(t("meeting.no_drafts", lang))
        return
    c1, c2 = st.columns(2)
    if c1.button(f"{t('meeting.accept_all', lang)} ({len(drafts)})", key="bt_accept_all"):
        _decide(ctx, drafts, "accepted")
        st.rerun()
    if c2.button(t("meeting.ignore_all", lang), key="bt_ignore_all"):
        _decide(ctx, drafts, "ignored")
        st.rerun()
    for i, d in enumerate(drafts[:60]):
        row = st.columns([5, 1, 1])
        desc = f" — {md_escape(d['description'])}" if d.get("description") else ""
        row[0].markdown(f"**{md_escape(d['title'])}**{desc}")
        if row[1].button(t("meeting.accept", lang), key=f"bt_acc_{i}"):
            _decide(ctx, [d], "accepted")
            st.rerun()
        if row[2].button(t("meeting.ignore", lang), key=f"bt_ign_{i}"):
            _decide(ctx, [d], "ignored")
            st.rerun()
