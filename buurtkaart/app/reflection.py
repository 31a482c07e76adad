"""Domain reflection tab: score the factors, scores over time, what moved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app.common import md_escape, show_error
from buurtkaart.app.context import PageContext
from buurtkaart.app.state import flash
from buurtkaart.core import vocab
from buurtkaart.i18n import label, t
from buurtkaart.meeting.collect import MeetingView
from buurtkaart.meeting.reflection import SCORES, domain_series, validate_reflection


def series_rows(reflections: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Return chart rows ``{date, domain, score}`` (mean per domain and date)."""
    return [{"date": day, "domain": label("domain", domain, lang), "score": score}
            for domain, points in domain_series(reflections).items() for day, score in points]


def scores_chart(reflections: Sequence[Mapping[str, Any]], lang: str) -> Any:
    """Return an Altair line chart of the domain scores over time (1-4)."""
    import altair as alt  # heavy optional dependency, loaded only when a chart is drawn
    import pandas as pd  # heavy optional dependency, loaded only for tables and charts

    df = pd.DataFrame(series_rows(reflections, lang), columns=["date", "domain", "score"])
    return (alt.Chart(df).mark_line(point=True)
            .encode(x=alt.X("date:T", title="", axis=alt.Axis(format="%d/%m/%Y", labelAngle=0)),
                    y=alt.Y("score:Q", scale=alt.Scale(domain=[1, 4]),
                            axis=alt.Axis(title=t("meeting.score", lang), values=[1, 2, 3, 4],
                                          format="d")),
                    color=alt.Color("domain:N", title=""),
                    tooltip=["date:T", "domain:N", alt.Tooltip("score:Q", format=".1f")])
            .properties(height=260))


def render_reflection(ctx: PageContext, view: MeetingView, today: dt.date) -> None:
    """Show scores over time and what moved, then the scoring form."""
    lang = ctx.lang
    if view.reflections:
        st.subheader(t("meeting.scores_over_time", lang))
        st.altair_chart(scores_chart(view.reflections, lang), width="stretch")
    st.subheader(t("meeting.moved", lang))
    if view.movements:
        st.markdown("\n".join(f"- {'▲' if m.delta > 0 else '▼'} {md_escape(m.label(lang))}"
                              for m in view.movements))
    else:
        st.caption(t("meeting.nothing_moved", lang))
    _form(ctx, today)


#: Column widths of a scoring row: factor, score, dimension, note.
COLUMNS = (3, 2, 2, 3)


def _header(domain: str, lang: str) -> None:
    """Column headers above the scoring rows (hidden on a phone: every field names itself)."""
    heads = (t("meeting.factor", lang), t("meeting.score", lang), t("meeting.dimension", lang),
             t("meeting.notes", lang))
    with st.container(key=f"bk_colhead_{domain}"):
        for col, head in zip(st.columns(COLUMNS), heads, strict=True):
            col.caption(head)


def _form(ctx: PageContext, today: dt.date) -> None:
    lang = ctx.lang
    dims: list[str | None] = [None, *vocab.DIMENSIONS]
    scores: list[int | None] = [None, *SCORES]
    with st.form("mt_reflection", enter_to_submit=False):
        entries = []
        for domain, factors in vocab.FACTORS.items():
            st.markdown(f"**{label('domain', domain, lang)}**")
            _header(domain, lang)
            for factor in factors:
                c1, c2, c3, c4 = st.columns(COLUMNS, vertical_alignment="center")
                c1.markdown(md_escape(t(f"factor.{domain}.{factor}", lang)))
                key = f"mt_ref_{domain}_{factor}"
                score = c2.selectbox(
                    t("meeting.score", lang), scores, key=key + "_s", label_visibility="collapsed",
                    format_func=lambda s: t("meeting.score_empty", lang) if s is None else
                    f"{s} · {label('score', s, lang)}")
                dim = c3.selectbox(
                    t("meeting.dimension", lang), dims, key=key + "_d",
                    label_visibility="collapsed",
                    format_func=lambda d: t("meeting.dimension_empty", lang) if d is None
                    else label("dimension", d, lang))
                note = c4.text_input(t("meeting.notes", lang), key=key + "_n",
                                     label_visibility="collapsed",
                                     placeholder=t("meeting.note_placeholder", lang))
                entries.append((domain, factor, score, dim, note))
        submitted = st.form_submit_button(t("meeting.save_scores", lang))
    if not submitted:
        return
    meetings = [m for m in ctx.store.list_meetings(ctx.map["id"])
                if str(m["date"])[:10] == today.isoformat()]
    saved = 0
    try:
        for domain, factor, score, dim, note in entries:
            if score is None:
                continue
            rec = validate_reflection({"date": today.isoformat(), "domain": domain,
                                       "factor": factor, "score": score, "dimension": dim,
                                       "note": note})
            ctx.store.add_reflection(ctx.user, ctx.map["id"], **rec,
                                     meeting_id=meetings[-1]["id"] if meetings else None)
            saved += 1
    except BuurtkaartError as err:
        show_error(err, ctx.lang)
        return
    if saved:
        for domain, factor, *_ in entries:  # a saved form starts empty again
            for part in ("_s", "_d", "_n"):
                st.session_state.pop(f"mt_ref_{domain}_{factor}{part}", None)
        flash(t("meeting.saved", lang))
        st.rerun()
