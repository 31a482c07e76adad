"""Meeting page: a newer OSM extract (upload or configured folder), and actor follow-ups.

The newer extract becomes the map's next import (:func:`~buurtkaart.meeting.osm_update.
import_newer_extract`): an older extract or one of another area is refused and
nothing is written. The page reruns at once, so the changes show right away; they
stay because the import is in the store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app.common import md_escape, show_error
from buurtkaart.app.context import PageContext
from buurtkaart.exchange.readers import max_upload_bytes
from buurtkaart.i18n import t
from buurtkaart.meeting.actor_osm import ActorPlaceChange, actor_changes, keep_signal, kept_keys
from buurtkaart.meeting.actor_osm import move_fields as actor_move
from buurtkaart.meeting.collect import MeetingView
from buurtkaart.meeting.osm_update import UpdateResult, import_newer_extract
from buurtkaart.sources.osmchange import discard_upload, folder_extracts, save_upload

#: Session key of the last update's summary (shown after the rerun).
RESULT_KEY = "mt_osm_result"


def _steps(lang: str) -> dict[str, str]:
    return {"check": t("osm_update.step_check", lang), "cut": t("osm_update.step_cut", lang),
            "read": t("osm_update.step_read", lang), "diff": t("osm_update.step_diff", lang),
            "done": t("osm_update.step_done", lang)}


def _basis(basis: str, lang: str) -> str:
    if basis == "header":
        return t("osm_update.basis_header", lang)
    if basis == "data":
        return t("osm_update.basis_data", lang)
    if basis == "none":
        return t("osm_update.basis_none", lang)
    return t("osm_update.basis_mixed", lang)


def _pick(lang: str) -> tuple[Path | None, bytes | None, str]:
    """Return (folder file, uploaded bytes, name) of the worker's choice."""
    choices = folder_extracts()
    mode = "upload"
    if choices:
        mode = str(st.radio(t("osm_update.source", lang), ["upload", "folder"],
                            horizontal=True, key="mt_osm_mode",
                            format_func=lambda k: t("osm_update.upload", lang) if k == "upload"
                            else t("osm_update.folder", lang)))
    if mode == "folder":
        picked = st.selectbox(t("osm_update.folder", lang), choices, key="mt_osm_pick",
                              format_func=lambda p: p.name)
        return (Path(picked), None, Path(picked).name) if picked else (None, None, "")
    up = st.file_uploader(t("osm_update.file", lang), type=["pbf"], key="mt_osm_file")
    return (None, up.getvalue(), str(up.name)) if up is not None else (None, None, "")


def render_newer_extract(ctx: PageContext) -> None:
    """The newer extract form: pick, check, import with a progress bar, summary."""
    lang = ctx.lang
    with st.expander(t("osm_update.heading", lang), expanded=RESULT_KEY in st.session_state):
        st.caption(t("osm_update.intro", lang, mb=max_upload_bytes() // 1048576))
        path, upload, name = _pick(lang)
        go = st.button(t("osm_update.go", lang), key="mt_osm_go", type="primary",
                       disabled=path is None and upload is None)
        if go:
            _run(ctx, path, upload, name)
        done = st.session_state.get(RESULT_KEY)
        if isinstance(done, dict) and done.get("map") == ctx.map["id"]:
            st.success(str(done["text"]))


def _run(ctx: PageContext, path: Path | None, upload: bytes | None, name: str) -> None:
    lang = ctx.lang
    steps = _steps(lang)
    bar = st.progress(0, text=steps["check"])

    def progress(pct: int, step: str) -> None:
        bar.progress(pct, text=steps.get(step, step))

    kept: Path | None = None
    try:
        if upload is not None:
            path = kept = save_upload(upload, name, max_upload_bytes())
        if path is None:
            return
        result = import_newer_extract(ctx.store, ctx.user, ctx.map["id"], path, name=name,
                                      lang=lang, progress=progress)
    except BuurtkaartError as err:
        bar.empty()
        show_error(err, lang)
        st.warning(t("osm_update.nothing_written", lang))
        return
    finally:
        if kept is not None:  # the import keeps its own cut of the area
            discard_upload(kept)
    st.session_state[RESULT_KEY] = {"map": ctx.map["id"], "text": _summary(result, name, lang)}
    st.rerun()


def _summary(result: UpdateResult, name: str, lang: str) -> str:
    counts = result.diff.counts() if result.diff is not None else {}
    return t("osm_update.done", lang, name=name, new=counts.get("new", 0),
             gone=counts.get("gone", 0), changed=counts.get("changed", 0),
             basis=_basis(result.basis, lang))


def render_actor_follow_ups(ctx: PageContext, view: MeetingView, today: dt.date) -> None:
    """Places linked to actors that closed, moved or changed purpose: move the point or keep it."""
    lang = ctx.lang
    kept = kept_keys(ctx.store.list_signals(ctx.map["id"]))
    changes = actor_changes(view.actors, view.diff, kept, lang)
    if not changes:
        return
    st.markdown(f"**{t('osm_update.actors_heading', lang)}**")
    for i, change in enumerate(changes):
        row = st.columns([6, 2, 2])
        row[0].markdown(f"- {md_escape(change.text)}")
        if change.kind == "moved" and row[1].button(t("osm_update.move", lang),
                                                    key=f"mt_osm_move_{i}"):
            _decide(ctx, change, today, move=True)
        if row[2].button(t("osm_update.keep", lang), key=f"mt_osm_keep_{i}"):
            _decide(ctx, change, today, move=False)


def _decide(ctx: PageContext, change: ActorPlaceChange, today: dt.date, *, move: bool) -> None:
    try:
        if move:
            ctx.store.update_actor(ctx.user, change.actor_id, actor_move(change))
        else:
            ctx.store.add_signal(ctx.user, ctx.map["id"], **keep_signal(change, today))
    except BuurtkaartError as err:
        show_error(err, ctx.lang)
        return
    st.rerun()
