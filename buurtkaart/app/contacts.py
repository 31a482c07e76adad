"""The contact log ("ploetertijd"): list and add contacts with an actor."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, state
from buurtkaart.app.common import md_escape, show_error
from buurtkaart.core import vocab
from buurtkaart.i18n import format_date, label, t


def contact_log(actor_id: str, lang: str) -> None:
    """Show the contacts with one actor, newest first."""
    contacts = sorted(data.get_store().list_contacts(actor_id=actor_id),
                      key=lambda c: str(c.get("date", "")), reverse=True)
    if not contacts:
        st.caption(t("contact.none", lang))
        return
    lines = []
    for c in contacts:
        lines.append(
            f"- {format_date(c.get('date'), lang)} · "
            f"{md_escape(label('channel', c.get('channel'), lang))} · "
            f"{md_escape(label('outcome', c.get('outcome'), lang))} · "
            f"{md_escape(c.get('user') or '')}"
            + (f"  \n  {md_escape(c['note'])}" if c.get("note") else ""))
    st.markdown("\n".join(lines))


def log_open_key(actor_id: str) -> str:
    """Session key that keeps an actor's contact log open after a new entry."""
    return f"contact_log_open_{actor_id}"


def contact_form(actor_id: str, lang: str, key: str) -> None:
    """A small form adding a contact (date, channel, outcome, note)."""
    with st.form(key, clear_on_submit=True, enter_to_submit=False):
        day = st.date_input(t("field.date", lang), value=dt.date.today(), format="DD/MM/YYYY",
                            key=key + "_date")
        channel = st.selectbox(t("field.channel", lang), list(vocab.CHANNELS), key=key + "_channel",
                               format_func=lambda k: label("channel", k, lang))
        outcome = st.selectbox(t("field.outcome", lang), list(vocab.CONTACT_OUTCOMES),
                               format_func=lambda k: label("outcome", k, lang))
        note = st.text_input(t("field.note", lang), key=key + "_note")
        submitted = st.form_submit_button(t("contact.add", lang), key=key + "_submit")
    if not submitted:
        return
    try:
        data.get_store().add_contact(state.user(), actor_id, str(day), channel, outcome,
                                     note=note.strip())
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    state.flash(t("contact.added", lang))
    st.session_state[log_open_key(actor_id)] = True  # the log stays open on its new entry
    st.rerun()
