"""Agenda section shared by the Buurt and Teamvergadering pages (Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app.common import md_escape
from buurtkaart.app.context import PageContext
from buurtkaart.app.meeting_text import tx
from buurtkaart.meeting.agenda import Occurrence, to_ics, upcoming, validate_item

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def preset_rule(kind: str, start: dt.date, custom: str) -> str | None:
    """Return the RRULE of a repeat choice (``none``, ``weekly``, ``monthly``...)."""
    day = _WEEKDAYS[start.weekday()]
    if kind == "weekly":
        return f"FREQ=WEEKLY;BYDAY={day}"
    if kind == "monthly":
        nth = (start.day - 1) // 7 + 1
        return f"FREQ=MONTHLY;BYDAY={nth}{day}"
    if kind == "yearly":
        return "FREQ=YEARLY"
    if kind == "custom":
        return custom.strip() or None
    return None


def occurrence_line(occ: Occurrence) -> str:
    """Return one escaped markdown line for an occurrence."""
    when = occ.when.strftime("%Y-%m-%d %H:%M") if isinstance(occ.when, dt.datetime) \
        else occ.when.isoformat()
    place = f" – {md_escape(occ.item['place'])}" if occ.item.get("place") else ""
    cat = f" · {md_escape(occ.item['category'])}" if occ.item.get("category") else ""
    return f"- **{when}** {md_escape(occ.item['title'])}{place}{cat}"


def render_upcoming(items: Sequence[Mapping[str, Any]], today: dt.date, lang: str,
                    days: int = 60) -> None:
    """Show the upcoming occurrences of the agenda."""
    st.subheader(tx("upcoming", lang))
    occ = upcoming(items, today, days)
    if not occ:
        st.caption(tx("no_upcoming", lang))
        return
    st.markdown("\n".join(occurrence_line(o) for o in occ[:40]))


def render_agenda(ctx: PageContext, today: dt.date, key: str) -> None:
    """Upcoming items, the add form and the ICS download for the current map."""
    lang, the_map = ctx.lang, ctx.map
    items = ctx.store.list_agenda(the_map["id"])
    render_upcoming(items, today, lang)
    st.download_button(tx("download_ics", lang),
                       data=to_ics(items, f"Buurtagenda {the_map['name']}"),
                       file_name="buurtagenda.ics", mime="text/calendar", key=f"{key}_ics")
    with st.expander(tx("add_item", lang)):
        _add_form(ctx, today, key)


def _add_form(ctx: PageContext, today: dt.date, key: str) -> None:
    lang = ctx.lang
    kinds = ["none", "weekly", "monthly", "yearly", "custom"]
    with st.form(f"{key}_agenda_form", clear_on_submit=False):
        title = st.text_input(tx("title", lang), key=f"{key}_ag_title")
        c1, c2 = st.columns(2)
        start = c1.date_input(tx("start", lang), value=today, key=f"{key}_ag_start",
                              format="DD/MM/YYYY")
        hour = c2.text_input(tx("time", lang), key=f"{key}_ag_time", placeholder="10:00")
        repeat = st.selectbox(tx("repeat", lang), kinds, key=f"{key}_ag_repeat",
                              format_func=lambda k: tx("rep_" + k, lang))
        custom = st.text_input(tx("rrule", lang), key=f"{key}_ag_rrule")
        place = st.text_input(tx("place", lang), key=f"{key}_ag_place")
        category = st.text_input(tx("category", lang), key=f"{key}_ag_cat")
        submitted = st.form_submit_button(tx("add", lang))
    if not submitted:
        return
    day = start if isinstance(start, dt.date) else today
    start_value = f"{day.isoformat()}T{hour.strip()}:00" if hour.strip() else day.isoformat()
    try:
        item = validate_item({"title": title, "start": start_value,
                              "rrule": preset_rule(repeat, day, custom),
                              "place": place, "category": category or None})
        ctx.store.add_agenda_item(ctx.user, ctx.map["id"], **item)
    except BuurtkaartError as err:
        st.error(str(err))
        return
    st.success(tx("saved", lang))
    st.rerun()
