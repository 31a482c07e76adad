"""Agenda section shared by the Buurt and Teamvergadering pages (Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app.common import md_escape
from buurtkaart.app.context import PageContext
from buurtkaart.i18n import format_date, t
from buurtkaart.meeting.agenda import Occurrence, to_ics, upcoming, validate_item

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


#: Repeat choices of the agenda form (catalog keys ``meeting.rep_<kind>``).
REPEAT_KINDS = ("none", "weekly", "monthly", "yearly", "custom")


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
    when = format_date(occ.when)
    place = f" – {md_escape(occ.item['place'])}" if occ.item.get("place") else ""
    cat = f" · {md_escape(occ.item['category'])}" if occ.item.get("category") else ""
    return f"- **{when}** {md_escape(occ.item['title'])}{place}{cat}"


def render_upcoming(items: Sequence[Mapping[str, Any]], today: dt.date, lang: str,
                    days: int = 60) -> None:
    """Show the upcoming occurrences of the agenda."""
    st.subheader(t("meeting.upcoming", lang))
    occ = upcoming(items, today, days)
    if not occ:
        st.caption(t("meeting.no_upcoming", lang))
        return
    st.markdown("\n".join(occurrence_line(o) for o in occ[:40]))


def render_agenda(ctx: PageContext, today: dt.date, key: str) -> None:
    """Upcoming items, the add form and the ICS download for the current map."""
    lang, the_map = ctx.lang, ctx.map
    items = ctx.store.list_agenda(the_map["id"])
    render_upcoming(items, today, lang)
    st.download_button(t("meeting.download_ics", lang),
                       data=to_ics(items, f"Buurtagenda {the_map['name']}"),
                       file_name="buurtagenda.ics", mime="text/calendar", key=f"{key}_ics")
    with st.expander(t("meeting.add_item", lang)):
        _add_form(ctx, today, key)


def _add_form(ctx: PageContext, today: dt.date, key: str) -> None:
    lang = ctx.lang
    kinds = list(REPEAT_KINDS)
    with st.form(f"{key}_agenda_form", clear_on_submit=False):
        title = st.text_input(t("meeting.title", lang), key=f"{key}_ag_title")
        c1, c2 = st.columns(2)
        start = c1.date_input(t("meeting.start", lang), value=today, key=f"{key}_ag_start",
                              format="DD/MM/YYYY")
        hour = c2.text_input(t("meeting.time", lang), key=f"{key}_ag_time", placeholder="10:00")
        repeat = st.selectbox(t("meeting.repeat", lang), kinds, key=f"{key}_ag_repeat",
                              format_func=lambda k: t("meeting.rep_" + k, lang))
        custom = st.text_input(t("meeting.rrule", lang), key=f"{key}_ag_rrule")
        place = st.text_input(t("meeting.place", lang), key=f"{key}_ag_place")
        category = st.text_input(t("meeting.category", lang), key=f"{key}_ag_cat")
        submitted = st.form_submit_button(t("meeting.add", lang))
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
    st.success(t("meeting.saved", lang))
    st.rerun()
