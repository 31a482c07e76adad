"""Agenda section shared by the Buurt and Teamvergadering pages (Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app.common import md_escape, show_error
from buurtkaart.app.context import PageContext
from buurtkaart.app.state import flash
from buurtkaart.i18n import format_date, t
from buurtkaart.meeting import recurrence as rec
from buurtkaart.meeting.agenda import Occurrence, to_ics, upcoming, validate_item

#: Repeat choices of the agenda form (catalog keys ``meeting.rep_<kind>``).
REPEAT_KINDS = rec.KINDS


def occurrence_line(occ: Occurrence, lang: str = "nl") -> str:
    """Return one escaped markdown line for an occurrence."""
    when = format_date(occ.when, lang)
    place = f" – {md_escape(occ.item['place'])}" if occ.item.get("place") else ""
    cat = f" · {md_escape(occ.item['category'])}" if occ.item.get("category") else ""
    rule = occ.item.get("rrule")
    repeat = f" _({md_escape(rec.describe_rrule(str(rule), lang))})_" if rule else ""
    return f"- **{when}** {md_escape(occ.item['title'])}{place}{cat}{repeat}"


def render_upcoming(items: Sequence[Mapping[str, Any]], today: dt.date, lang: str,
                    days: int = 60) -> None:
    """Show the upcoming occurrences of the agenda."""
    st.subheader(t("meeting.upcoming", lang))
    occ = upcoming(items, today, days)
    if not occ:
        st.caption(t("meeting.no_upcoming", lang))
        return
    st.markdown("\n".join(occurrence_line(o, lang) for o in occ[:40]))


def render_agenda(ctx: PageContext, today: dt.date, key: str) -> None:
    """Upcoming items, the add form and the ICS download for the current map."""
    lang, the_map = ctx.lang, ctx.map
    items = ctx.store.list_agenda(the_map["id"])  # its flash shows above the page's tabs
    render_upcoming(items, today, lang)
    st.download_button(t("meeting.download_ics", lang),
                       data=to_ics(items, f"Buurtagenda {the_map['name']}"),
                       file_name="buurtagenda.ics", mime="text/calendar", key=f"{key}_ics")
    with st.expander(t("meeting.add_item", lang)):
        _add_form(ctx, today, key)


def _recurrence(key: str, day: dt.date, lang: str) -> rec.Recurrence:
    """The repeat picker in words; returns what it says (no form: it follows each choice)."""
    kind = st.selectbox(t("meeting.repeat", lang), REPEAT_KINDS, key=f"{key}_ag_repeat",
                        format_func=lambda k: t("meeting.rep_" + k, lang))
    base = rec.default_for(str(kind), day)
    if kind == "none":
        return base
    c1, c2, c3 = st.columns(3)
    interval = int(c1.number_input(t("meeting.rep_interval", lang), min_value=1, max_value=12,
                                   value=1, step=1, key=f"{key}_ag_interval"))
    name = {c: rec.weekday_name(c, lang) for c in rec.WEEKDAYS}
    if kind == "weekly":
        days = c2.multiselect(t("meeting.rep_days", lang), rec.WEEKDAYS, default=base.weekdays,
                              key=f"{key}_ag_days", format_func=name.__getitem__,
                              placeholder=t("common.choose", lang), select_all=False)
        return rec.Recurrence("weekly", interval, tuple(days) or base.weekdays)
    if kind == "monthly_nth":
        nth = c2.selectbox(t("meeting.rep_nth", lang), rec.NTHS, key=f"{key}_ag_nth",
                           index=rec.NTHS.index(base.nth or 1),
                           format_func=lambda n: rec.nth_word(n, lang))
        wday = c3.selectbox(t("meeting.rep_weekday", lang), rec.WEEKDAYS, key=f"{key}_ag_wday",
                            index=rec.WEEKDAYS.index(base.weekdays[0]),
                            format_func=name.__getitem__)
        return rec.Recurrence("monthly_nth", interval, (str(wday),), nth=int(nth))
    if kind == "monthly_day":
        mday = c2.number_input(t("meeting.rep_monthday", lang), min_value=1, max_value=31,
                               value=base.monthday or 1, step=1, key=f"{key}_ag_mday")
        return rec.Recurrence("monthly_day", interval, monthday=int(mday))
    return rec.Recurrence(str(kind), interval)


#: Widget keys of the add form (cleared after a successful add).
_FORM_KEYS = ("title", "start", "time", "repeat", "interval", "days", "nth", "wday", "mday",
              "place", "cat")


def _add_form(ctx: PageContext, today: dt.date, key: str) -> None:
    lang = ctx.lang
    title = st.text_input(t("meeting.title", lang), key=f"{key}_ag_title")
    c1, c2 = st.columns(2)
    start = c1.date_input(t("meeting.start", lang), value=today, key=f"{key}_ag_start",
                          format="DD/MM/YYYY")
    hour = c2.text_input(t("meeting.time", lang), key=f"{key}_ag_time", placeholder="10:00")
    day = start if isinstance(start, dt.date) else today
    repeat = _recurrence(key, day, lang)
    st.caption(t("meeting.rep_preview", lang, rule=rec.describe(repeat, lang)))
    place = st.text_input(t("meeting.place", lang), key=f"{key}_ag_place")
    category = st.text_input(t("meeting.category", lang), key=f"{key}_ag_cat")
    if not st.button(t("meeting.add", lang), key=f"{key}_ag_submit"):
        return
    if not title.strip():
        st.error(t("form.need_title", lang))
        return
    start_value = f"{day.isoformat()}T{hour.strip()}:00" if hour.strip() else day.isoformat()
    try:
        item = validate_item({"title": title, "start": start_value,
                              "rrule": rec.to_rrule(repeat),
                              "place": place, "category": category or None})
        ctx.store.add_agenda_item(ctx.user, ctx.map["id"], **item)
    except BuurtkaartError as err:
        show_error(err, ctx.lang)
        return
    for name in _FORM_KEYS:
        st.session_state.pop(f"{key}_ag_{name}", None)
    flash(t("meeting.saved", lang))
    st.rerun()
