"""The live map in the app: live updates, presence and "since I last looked".

:func:`sidebar` runs a fragment in the sidebar of every page
(``st.fragment(run_every=BEAT_S)``). An open page does not poll by running it:
live watchers (:mod:`buurtkaart.app.live_watch`, a small component that asks the
app's ``/_bk/live`` endpoint once a second) wake the page only when the map has
a newer event or somebody came, went or moved. On the Kaart page and the
Actoren register the news watcher sits outside the fragment, so its wake redraws
the page at once, and a presence watcher inside wakes the fragment alone;
elsewhere one watcher inside the fragment does both (news make a toast there, no
redraw under a form). An idle open page costs one small HTTP answer a second and
one fragment run per heartbeat. Each run of the fragment

1. writes this session's heartbeat, at most every :data:`BEAT_S` seconds (or at
   once, at most every :data:`CHANGE_S` seconds, when the page or the open actor
   changed) -- and nothing at all in single-user mode;
2. polls the event log for the events after the last one this session saw
   (``store.live_events``, through the guard, whose map and role look-ups come
   from the session's cache); events by others are announced with a short
   ``st.toast`` and, on the Kaart page and the Actoren register, rerun the app so
   the page shows the new data: the map is not drawn again, it gets a delta in
   its mounted frame (:func:`buurtkaart.app.maps.build_live`), so zoom, pan and an
   open popup stay;
3. shows who else has the map open now (initials and page), and redraws the page
   when somebody starts or stops editing the actor open in its panel
   ("bewerkt deze actor ook").

Everything is read from the store, never from process memory, so it works the
same across several app processes (docs/deploy.md).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, live_head, live_watch, state
from buurtkaart.app.common import md_escape
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.i18n import t
from buurtkaart.store.live import LiveCursor
from buurtkaart.store.presence import BEAT_S

#: A change of page or open actor writes a heartbeat at once, but not more often than this.
CHANGE_S = 2.0

#: Seconds between two live redraws of a page at least (a burst of edits redraws once).
#: A redraw no longer reloads the map (it gets a delta, see :func:`maps.build_live`).
RERUN_S = 1.5

#: Seconds between two fragment runs that ask for holes in the cursor again (an event
#: committed after a later one, on PostgreSQL under concurrent writes).
HOLE_RETRY_S = 2.0

#: Toasts shown for one poll at most (the rest are counted in one more toast).
MAX_TOASTS = 3

#: Pages whose content reruns when others change the map: the map and the actor register.
#: The meeting, buurt and insight pages are not redrawn under a worker who is writing an
#: agenda item or a report (they show the change at their next run, and the toast names it).
LIVE_PAGES = frozenset({"kaart", "actoren"})

_KEY = "_live"


def enabled() -> bool:
    """Return whether this session takes part in the live map (not in single-user mode)."""
    return not state.single_user() and bool(state.user())


def _live() -> dict[str, Any]:
    """This session's live bookkeeping (created once)."""
    value = st.session_state.get(_KEY)
    if not isinstance(value, dict):
        value = {"session": uuid.uuid4().hex, "cursor": None, "map": None, "beat": None,
                 "beat_at": 0.0, "present": [], "toasts": []}
        st.session_state[_KEY] = value
    return value


def selected_actor() -> str | None:
    """Return the id of the actor open in the panel, None when none is."""
    sel = st.session_state.get("selected")
    return str(sel[1]) if sel and sel[0] == "actor" else None


def sidebar(the_map: Any, page: str, lang: str) -> None:
    """Run the live fragment in the sidebar (nothing in single-user mode or without a map)."""
    if the_map is None or not enabled():
        return
    live = _live()
    for message in live["toasts"]:
        st.toast(message, icon=":material/sync:", duration="long")
    live["toasts"] = []
    live["full_run"] = True  # this run draws the page anyway: no rerun (it would lose a click)
    with st.sidebar:
        _fragment(str(the_map["id"]), page, lang)
        if page in LIVE_PAGES:  # outside the fragment: its wake redraws the page at once
            live["rerun_at"] = time.monotonic()  # this run is the redraw
            _watcher(str(the_map["id"]), live, page, waiting=False, what="seq")
        since_box(str(the_map["id"]), lang)


@st.fragment(run_every=BEAT_S)
def _fragment(map_id: str, page: str, lang: str) -> None:
    store = data.get_store()
    live = _live()
    full_run, live["full_run"] = bool(live.get("full_run")), False
    live["runs"] = int(live.get("runs", 0)) + 1
    try:
        beat(store, live, map_id, page)
        news = poll(store, live, map_id)
        moved = look_around(store, live, map_id, page)
    except BuurtkaartError:  # the store is away for a moment: the watcher wakes us again
        news, moved = [], False
    presence_box(live["present"], live["session"], lang)
    pending = live.setdefault("pending", [])
    pending.extend(r for r in news if r["user"] != state.user())
    redraw = page in LIVE_PAGES and not full_run  # a fragment-only run draws the page again
    if not full_run and (moved or (pending and redraw
                                   and redraw_due(page, float(live.get("rerun_at", 0.0)),
                                                  time.monotonic()))):
        live["toasts"] = toasts(live.pop("pending"), lang)  # shown after the rerun
        live["rerun_at"] = time.monotonic()
        st.rerun()
    waiting = bool(pending) and redraw  # a burst of edits: one redraw per RERUN_S
    if pending and not waiting:
        for message in toasts(live.pop("pending"), lang):
            st.toast(message, icon=":material/sync:", duration="long")
    if page in LIVE_PAGES:  # news wake the page's own watcher; presence wakes this one
        _watcher(map_id, live, page, waiting, what="here")
    else:  # news only make a toast here: wake this fragment alone
        _watcher(map_id, live, page, waiting, what="both")


def _watcher(map_id: str, live: dict[str, Any], page: str, waiting: bool, what: str) -> None:
    """Mount a live watcher with what this page shows now (:mod:`live_watch`).

    On the Kaart page and the register the news watcher is mounted outside the
    fragment, so its wake reruns the whole page at once (news are drawn there
    anyway), and a presence watcher inside, whose wake runs the fragment alone.
    Elsewhere one watcher inside does both (a toast, no redraw under a form).
    """
    cursor = live["cursor"]
    if not isinstance(cursor, LiveCursor):
        return
    news = what != "here"  # the presence watcher is never woken "soon" nor held back
    holes = news and bool(cursor.wanted())
    after = wake_after(page, float(live.get("rerun_at", 0.0)), time.monotonic(), holes) \
        if news else 0.0
    live_watch.watch(map_id, state.user(), cursor.last, str(live.get("here", "")),
                     holes or (news and waiting), live["runs"], after, what)


def wake_after(page: str, rerun_at: float, now: float, holes: bool) -> float:
    """Return the seconds before which the watcher need not wake this page's fragment.

    A live page redraws at most every :data:`RERUN_S`: news before then would only wait.
    Holes in the cursor (events committed out of order) are asked for again every
    :data:`HOLE_RETRY_S`, not at every watcher tick.
    """
    after = max(0.0, RERUN_S - (now - rerun_at)) if page in LIVE_PAGES else 0.0
    return max(after, HOLE_RETRY_S) if holes else after


def look_around(store: GuardedStore, live: dict[str, Any], map_id: str, page: str) -> bool:
    """Read who is on the map when it changed; return whether the open actor's co-editors did.

    The fingerprint comes from the process's shared read (:func:`live_head.here`), the
    same one the live endpoint answers, so the watcher and the page agree on it.
    """
    store.require("read", map_id)
    seen = live_head.here(store, map_id)
    if seen == live.get("here") and live.get("present_map") == map_id:
        return False
    live["present"], live["here"], live["present_map"] = store.present(map_id), seen, map_id
    actor = selected_actor() if page == "kaart" else None
    names = co_editor_names(live, actor) if actor else []
    moved, live["co"] = names != live.get("co", []), names
    return moved


def redraw_due(page: str, last: float, now: float) -> bool:
    """Return whether news by others redraw ``page`` now (a live page, once per RERUN_S)."""
    return page in LIVE_PAGES and now - last >= RERUN_S


def beat(store: GuardedStore, live: dict[str, Any], map_id: str, page: str,
         now: float | None = None) -> bool:
    """Write the heartbeat when due; return whether it was written."""
    moment = time.monotonic() if now is None else now
    what = (map_id, page, selected_actor() if page == "kaart" else None)
    since = moment - float(live["beat_at"])
    due = since >= BEAT_S or (what != live["beat"] and since >= CHANGE_S)
    if not due:
        return False
    if live["beat"] is not None and live["beat"][0] != map_id:
        store.leave_map(state.user(), live["beat"][0], live["session"])
    store.heartbeat(state.user(), map_id, live["session"], page, what[2])
    live["beat"], live["beat_at"] = what, moment
    return True


def head(store: GuardedStore, map_id: str, now: float | None = None) -> int:
    """Return the newest event number of ``map_id`` (the process's shared read).

    The session's read permission is checked on every call (from its cache, see
    :mod:`buurtkaart.auth.permcache`), also when the number comes from the process's cache.
    """
    store.require("read", map_id)
    return live_head.newest(store, map_id, now)


def poll(store: GuardedStore, live: dict[str, Any], map_id: str) -> list[dict[str, Any]]:
    """Return the events of ``map_id`` this session has not seen yet (none on the first poll).

    The event log is read only when the map's newest event number (:func:`head`) is past
    this session's cursor, or when the cursor has holes to ask for again.
    """
    cursor = live["cursor"]
    if not isinstance(cursor, LiveCursor) or live["map"] != map_id:
        live["cursor"], live["map"] = LiveCursor(store.latest_seq(map_id)), map_id
        return []
    wanted = cursor.wanted()
    if not wanted and head(store, map_id) <= cursor.last:
        return []
    rows = cursor.advance(store.live_events(map_id, cursor.last, wanted))
    holes = cursor.wanted()
    if holes:  # most are other maps' events or account events: drop those at once
        cursor.drop(store.taken_elsewhere(map_id, holes))
    return rows


def what_label(row: dict[str, Any], lang: str) -> str:
    """Return what an event changed, in words: the record's name, else a noun."""
    if row["label"]:
        return str(row["label"])
    if row["entity"] == "link":
        return t("live.thing.link", lang)
    if row["entity"] == "contact":
        return t("live.thing.contact", lang)
    return t("live.thing.item", lang)


def toast_text(row: dict[str, Any], lang: str) -> str:
    """Return "Amina heeft Moskee Al-Khalil bijgewerkt" for one event."""
    user, what = md_escape(row["user"]), md_escape(what_label(row, lang))
    if row["op"] == "insert":
        return t("live.toast.insert", lang, user=user, what=what)
    if row["op"] == "delete":
        return t("live.toast.delete", lang, user=user, what=what)
    if row["op"] == "forget":
        return t("live.toast.forget", lang, user=user)
    return t("live.toast.update", lang, user=user, what=what)


def toasts(rows: Sequence[dict[str, Any]], lang: str) -> list[str]:
    """Return the toasts of one poll: one per changed record, at most :data:`MAX_TOASTS`."""
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        last[(row["entity"], row["entity_id"])] = row
    texts = list(dict.fromkeys(toast_text(r, lang) for r in last.values()))
    if len(texts) > MAX_TOASTS:
        return [*texts[:MAX_TOASTS - 1], t("live.toast.more", lang, n=len(texts) - MAX_TOASTS + 1)]
    return texts


def initials(name: str) -> str:
    """Return two initials of a name ("Amina El Idrissi" -> "AE", "youssef" -> "YO")."""
    words = [w for w in name.replace(".", " ").replace("@", " ").split() if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


def others_here(present: Sequence[dict[str, Any]], session: str) -> dict[str, list[str]]:
    """Return ``{user: [pages]}`` of the other sessions on the map (this user's others too)."""
    out: dict[str, list[str]] = {}
    for row in present:
        if row["session_id"] == session:
            continue
        pages = out.setdefault(str(row["user_name"]), [])
        if row["page"] not in pages:
            pages.append(str(row["page"]))
    return out


def presence_box(present: Sequence[dict[str, Any]], session: str, lang: str) -> None:
    """Show who else has this map open now, with initials and page."""
    here = others_here(present, session)
    st.caption(t("live.here_title", lang))
    if not here:
        st.caption(t("live.alone", lang))
        return
    lines = []
    for user, pages in sorted(here.items(), key=lambda kv: kv[0].casefold()):
        where = ", ".join(t("nav." + p, lang) for p in pages)
        lines.append(f"**{md_escape(initials(user))}** {md_escape(user)} · {md_escape(where)}")
    st.markdown("  \n".join(lines))


def co_editor_names(live: dict[str, Any], actor_id: str) -> list[str]:
    """Return who else (another user) has ``actor_id`` open now, sorted."""
    return sorted({str(p["user_name"]) for p in live["present"]
                   if p["entity_id"] == actor_id and p["session_id"] != live["session"]
                   and p["user_name"] != state.user()}, key=str.casefold)


def co_editors(actor_id: str, lang: str) -> None:
    """Show "Youssef bewerkt deze actor ook" when others have this actor open.

    Drawn with the panel; the live fragment redraws the page when the names change.
    """
    if not enabled():
        return
    names = co_editor_names(_live(), actor_id)
    if len(names) == 1:
        st.warning(t("live.co_editing_one", lang, name=md_escape(names[0])),
                   icon=":material/group:")
    elif names:
        st.warning(t("live.co_editing_many", lang, names=md_escape(", ".join(names))),
                   icon=":material/group:")


def op_word(op: str, lang: str) -> str:
    """Return the net change of a record in words (new, changed, removed, forgotten)."""
    if op == "insert":
        return t("live.op.insert", lang)
    if op == "delete":
        return t("live.op.delete", lang)
    if op == "forget":
        return t("live.op.forget", lang)
    return t("live.op.update", lang)


def since_changes(map_id: str) -> list[dict[str, Any]]:
    """Return the changes by others since this worker's "gezien" mark (grouped per record)."""
    if not enabled():
        return []
    try:
        return data.get_store().changes_since_seen(state.user(), map_id)
    except BuurtkaartError:
        return []


def since_highlight(changes: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Return the map highlight (``new``/``changed``/``gone`` actor ids) of the changes."""
    out: dict[str, list[str]] = {"new": [], "changed": [], "gone": []}
    for c in changes:
        if c["entity"] != "actor":
            continue
        kind = {"insert": "new", "delete": "gone", "forget": "gone"}.get(c["op"], "changed")
        out[kind].append(str(c["entity_id"]))
    return out


def map_highlight() -> dict[str, list[str]] | None:
    """Return the highlight of the changes by others since the mark (None: nothing to show)."""
    if not enabled():
        return None
    changes = _live().get("since") or []
    return since_highlight(changes) if changes else None


def since_box(map_id: str, lang: str) -> None:
    """"Since I last looked": the changes by others since the mark, and the "Gezien" button."""
    store = data.get_store()
    try:
        mark = store.seen_mark(state.user(), map_id)
    except BuurtkaartError:
        return
    changes = since_changes(map_id) if mark else []
    _live()["since"] = changes  # the Kaart page highlights them (map_highlight)
    title = t("live.seen.title", lang, n=len(changes))
    with st.expander(title, expanded=bool(changes)):
        if mark is None:
            st.caption(t("live.seen.never", lang))
        elif not changes:
            st.caption(t("live.seen.none", lang))
        for c in changes[:30]:
            what = md_escape(c["label"] or what_label({**c, "label": ""}, lang))
            users = md_escape(", ".join(c["users"]))
            st.markdown(t("live.seen.row", lang, what=what, op=op_word(c["op"], lang),
                          users=users))
        if st.button(t("live.seen.button", lang), key="live_seen", icon=":material/done_all:"):
            store.mark_seen(state.user(), map_id)
            st.rerun()
