"""The Teamvergadering page: changes since the previous meeting, follow-ups, agenda,
domain reflection, presentation mode, recording the meeting and the printed report."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, meeting_osm
from buurtkaart.app.agenda import render_agenda
from buurtkaart.app.common import md_escape, show_error, show_flash
from buurtkaart.app.context import PageContext, page_context
from buurtkaart.app.meeting_maps import focus_map, meeting_map
from buurtkaart.app.reflection import render_reflection
from buurtkaart.app.state import flash
from buurtkaart.i18n import colon, format_date, t
from buurtkaart.meeting.collect import MeetingView, gather
from buurtkaart.meeting.since import FollowUp, Item, SinceReport
from buurtkaart.views.follow_up import follow_up_reason
from buurtkaart.views.meeting_report import meeting_pdf

#: Streamlit colour markdown per change style (no emoji: not every system has the font).
_MARK = {"new": ":green[**+**]", "changed": ":orange[**~**]", "gone": ":red[**×**]"}

#: The tabs of the page, in order (catalog keys ``meeting.<tab>``).
TABS = ("tab_changes", "tab_follow", "tab_agenda", "tab_reflection", "tab_record", "tab_report")


def page() -> None:
    """The Teamvergadering page of the navigation."""
    ctx = page_context("nav.teamvergadering")
    if ctx is not None:
        render_meeting_page(ctx)


def render_meeting_page(ctx: PageContext) -> None:
    """Render the Teamvergadering page for ``ctx.map``."""
    lang = ctx.lang
    show_flash()  # above the tabs: a saved meeting or activity is seen whichever tab is open
    c1, c2, c3 = st.columns(3)
    picked = c1.date_input(t("meeting.date", lang), value=dt.date.today(), key="mt_date",
                           format="DD/MM/YYYY")
    today = picked if isinstance(picked, dt.date) else dt.date.today()
    months = int(c3.number_input(t("meeting.months", lang), min_value=0, max_value=36, value=3,
                                 key="mt_months"))
    try:
        view = gather(ctx.store, ctx.map["id"], today, lang=lang, months=months)
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    workers = view.since.users()
    worker = c2.selectbox(t("meeting.worker", lang), ["", *workers], key="mt_worker",
                          format_func=lambda w: w or t("meeting.all_workers", lang))
    since = view.since.for_user(worker or None)
    follow = [f for f in view.follow_ups if not worker or f.contact_person == worker]
    if view.osm_error:
        st.warning(view.osm_error)
    if since.first_meeting:
        st.info(since.message())
    else:
        st.caption(t("meeting.since_prev", lang, d=format_date(str(view.previous["date"])[:10]
                                                        if view.previous else "")))
    if st.toggle(t("meeting.present_start", lang), key="mt_present"):
        _presentation(ctx, view, since)
        return
    tabs = st.tabs([t(f"meeting.{k}", lang) for k in TABS])
    with tabs[0]:
        _changes(ctx, view, since)
        meeting_osm.render_newer_extract(ctx)
    with tabs[1]:
        _follow_ups(follow, lang)
        meeting_osm.render_actor_follow_ups(ctx, view, today)
    with tabs[2]:
        render_agenda(ctx, today, "mt")
    with tabs[3]:
        render_reflection(ctx, view, today)
    with tabs[4]:
        _record(ctx, today)
    with tabs[5]:
        _report(ctx, view, since, today)


def item_line(item: Item, lang: str = "nl") -> str:
    """Return one escaped markdown line for a change (``lang``: its colon)."""
    who = f" — _{md_escape(', '.join(item.users) or item.user)}_" \
        if (item.users or item.user) and item.user != "osm" else ""
    detail = f"{colon(lang)}{md_escape(item.detail)}" if item.detail else ""
    return f"- {_MARK.get(item.style, '•')} **{md_escape(item.title)}**{detail}{who}"


def _changes(ctx: PageContext, view: MeetingView, since: SinceReport) -> None:
    lang = ctx.lang
    groups = since.by_section()
    left, right = st.columns([2, 3])
    with left:
        if not groups:
            st.caption(t("meeting.no_changes", lang))
        for section, items in groups.items():
            with st.expander(f"{t(f'since.section.{section}', lang)} ({len(items)})",
                             expanded=len(items) <= 10):
                st.markdown("\n".join(item_line(i, lang) for i in items))
    with right:
        st.caption(t("meeting.legend", lang))
        meeting_map(ctx, view, since, key="mt_map")


def _follow_ups(follow: list[FollowUp], lang: str) -> None:
    if not follow:
        st.caption(t("meeting.no_follow", lang))
        return
    lines = []
    for f in follow:
        why = follow_up_reason(f, lang)
        person = f" ({md_escape(f.contact_person)})" if f.contact_person else ""
        lines.append(f"- **{md_escape(f.name)}**{person}{colon(lang)}{md_escape(why)}")
    st.markdown("\n".join(lines))


def _presentation(ctx: PageContext, view: MeetingView, since: SinceReport) -> None:
    """Full-screen map stepping through the located changes one by one."""
    lang = ctx.lang
    st.markdown("<style>[data-testid='stSidebar'],header{display:none!important}"
                ".block-container{padding-top:0.5rem;max-width:100%}</style>",
                unsafe_allow_html=True)  # constant CSS, no user text
    steps = [i for i in since.items if i.lat is not None and i.lon is not None]
    if not steps:
        st.info(t("meeting.nothing_to_show", lang))
        return
    idx = min(int(st.session_state.get("mt_step", 0)), len(steps) - 1)
    c1, c2, c3 = st.columns([1, 4, 1])
    if c1.button(t("meeting.prev", lang), disabled=idx == 0, key="mt_prev"):
        st.session_state["mt_step"] = idx - 1
        st.rerun()
    if c3.button(t("meeting.next", lang), disabled=idx >= len(steps) - 1, key="mt_next"):
        st.session_state["mt_step"] = idx + 1
        st.rerun()
    item = steps[idx]
    c2.markdown(f"**{t('meeting.step', lang, i=idx + 1, n=len(steps))}** · "
                f"{md_escape(t(f'since.section.{item.section}', lang))}\n\n"
                f"### {_MARK.get(item.style, '')} {md_escape(item.title)}\n"
                f"{md_escape(item.detail)}")
    focus_map(ctx, view, item, key="mt_present_map")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _record(ctx: PageContext, today: dt.date) -> None:
    lang = ctx.lang
    with st.form("mt_record", clear_on_submit=True, enter_to_submit=False):
        day = st.date_input(t("meeting.date", lang), value=today, key="mt_rec_date",
                            format="DD/MM/YYYY")
        title = st.text_input(t("meeting.title", lang), key="mt_rec_title")
        attendees = st.text_area(t("meeting.attendees", lang), key="mt_rec_att")
        notes = st.text_area(t("meeting.notes", lang), key="mt_rec_notes")
        decisions = st.text_area(t("meeting.decisions", lang), key="mt_rec_dec")
        st.markdown(f"**{t('meeting.actions', lang)}**")
        actions = st.data_editor(
            [{"text": "", "owner": "", "due": None}], num_rows="dynamic", key="mt_rec_actions",
            column_config={
                "text": st.column_config.TextColumn(t("meeting.action_text", lang)),
                "owner": st.column_config.TextColumn(t("meeting.owner", lang)),
                "due": st.column_config.DateColumn(t("meeting.due", lang))})
        submitted = st.form_submit_button(t("meeting.save_meeting", lang))
    if submitted:
        rows = [{"text": str(a.get("text") or "").strip(), "owner": str(a.get("owner") or ""),
                 "due": str(a["due"])[:10] if a.get("due") else None}
                for a in (actions or []) if str(a.get("text") or "").strip()]
        try:
            ctx.store.add_meeting(ctx.user, ctx.map["id"],
                                  date=(day if isinstance(day, dt.date) else today).isoformat(),
                                  title=title, attendees=_lines(attendees), notes=notes,
                                  decisions=_lines(decisions), actions=rows)
        except BuurtkaartError as err:
            show_error(err, lang)
        else:
            for name in ("title", "att", "notes", "dec", "actions"):
                st.session_state.pop(f"mt_rec_{name}", None)  # no duplicate on a second click
            flash(t("meeting.saved", lang))
            st.rerun()
    _past_meetings(ctx)


def _past_meetings(ctx: PageContext) -> None:
    lang = ctx.lang
    meetings = ctx.store.list_meetings(ctx.map["id"])
    if not meetings:
        return
    st.subheader(t("meeting.past_meetings", lang))
    for m in reversed(meetings[-10:]):
        with st.expander(f"{format_date(m['date'], lang)} {m.get('title') or ''}"):
            if m.get("attendees"):
                st.markdown(md_escape(", ".join(m["attendees"])))
            if m.get("notes"):
                st.markdown(md_escape(m["notes"]))
            for d in m.get("decisions") or []:
                st.markdown(f"- {md_escape(d)}")
            for a in m.get("actions") or []:
                due = (f" ({md_escape(t('pdf.due', lang, d=format_date(a['due'], lang)))})"
                       if a.get("due") else "")
                st.markdown(f"- ☐ {md_escape(a.get('text', ''))} — "
                            f"{md_escape(a.get('owner') or '')}{due}")


def _report(ctx: PageContext, view: MeetingView, since: SinceReport, today: dt.date) -> None:

    lang = ctx.lang
    if st.button(t("meeting.make_pdf", lang), key="mt_make_pdf"):
        meetings = [m for m in ctx.store.list_meetings(ctx.map["id"])
                    if str(m["date"])[:10] == today.isoformat()]
        shown = MeetingView(**{**view.__dict__, "since": since})
        try:
            st.session_state["mt_pdf"] = meeting_pdf(
                shown, meetings[-1] if meetings else None, lang=lang, osm_file=data.osm_file())
        except BuurtkaartError as err:
            show_error(err, lang)
    pdf = st.session_state.get("mt_pdf")
    if pdf:
        st.download_button(t("meeting.download_pdf", lang), data=pdf, mime="application/pdf",
                           file_name=f"teamvergadering-{today.isoformat()}.pdf",
                           key="mt_pdf_download")
