""""Ongedaan maken": the message after hiding or deleting something, with an undo button.

:func:`offer` replaces the one-shot success message (``state.flash``) for an
action that can be taken back; :func:`show` (called by ``common.show_flash``)
draws it with the button for two runs (the run that shows it and the click's
run) and performs the undo through the guarded store (one event, like any write).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, state
from buurtkaart.i18n import t

UNDO_KEY = "undo_offer"
#: How many runs the offer stays (the run showing it and the one of the click).
RUNS = 2


def offer(message: str, action: str, **args: Any) -> None:
    """Queue ``message`` with an undo of ``action`` (``undismiss``: map_id, osm_id)."""
    st.session_state[UNDO_KEY] = {"message": message, "action": action, "args": args,
                                  "runs": RUNS}


def _undo(action: str, args: dict[str, Any]) -> None:
    if action != "undismiss":  # pragma: no cover - offers are made in this package only
        msg = f"unknown undo {action!r}"
        raise ValueError(msg)
    data.get_store().undismiss_place(state.user(), args["map_id"], args["osm_id"])


def show() -> None:
    """Show the queued offer with its "Ongedaan maken" button; undo when clicked."""
    pending = st.session_state.get(UNDO_KEY)
    if not pending:
        return
    lang = state.lang()
    pending["runs"] -= 1
    if pending["runs"] <= 0:
        st.session_state[UNDO_KEY] = None
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.success(pending["message"])
    if not right.button(t("undo.button", lang), key="undo_button", icon=":material/undo:"):
        return
    st.session_state[UNDO_KEY] = None
    try:
        _undo(pending["action"], pending["args"])
    except BuurtkaartError:
        # Undone elsewhere meanwhile (nothing left to undo), or not allowed: the
        # action itself was refused the same way, so there is nothing to say.
        st.rerun()
    state.flash(t("undo.done", lang))
    st.rerun()
