"""Gather what a team meeting shows from a store: changes, follow-ups, agenda, reflection.

Shared by the Streamlit page, the CLI and the printed report.

The previous meeting is the latest meeting dated before ``today``. Changes are
counted from the moment it was recorded (its ``created_at``), or from the end
of its day when it was recorded later than that. Without a previous meeting,
everything so far is shown (and :meth:`SinceReport.message` says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from buurtkaart._dates import newest, oldest_first
from buurtkaart._errors import InputError
from buurtkaart.core.place import Place
from buurtkaart.core.ports import MeetingStore
from buurtkaart.meeting import agenda as agenda_mod
from buurtkaart.meeting import reflection as refl
from buurtkaart.meeting.diff import DiffResult, diff_places, ensure_same_area
from buurtkaart.meeting.signals import draft_signals
from buurtkaart.meeting.since import FollowUp, SinceReport, follow_ups, summarize

EPOCH = "1970-01-01T00:00:00.000000+00:00"


@dataclass
class MeetingView:
    """Everything the meeting page and report show for one map on one day."""

    map: Mapping[str, Any]
    today: dt.date
    previous: Mapping[str, Any] | None
    since: SinceReport
    follow_ups: list[FollowUp]
    agenda: list[agenda_mod.Occurrence]
    reflections: Sequence[Mapping[str, Any]]
    movements: list[refl.Movement]
    diff: DiffResult | None = None
    places: list[Place] = field(default_factory=list)
    actors: Sequence[Mapping[str, Any]] = field(default_factory=list)
    #: Why the OSM places could not be compared (e.g. imports of different areas).
    osm_error: str | None = None


def previous_meeting(meetings: Sequence[Mapping[str, Any]],
                     today: dt.date) -> Mapping[str, Any] | None:
    """Return the latest meeting dated before ``today`` (None when there is none)."""
    before = [m for m in meetings if str(m["date"])[:10] < today.isoformat()]
    return max(before, key=lambda m: (str(m["date"]), str(m.get("created_at") or ""))) \
        if before else None


def since_time(meeting: Mapping[str, Any]) -> str:
    """Return the ISO UTC time from which changes count, for a previous meeting."""
    day = dt.date.fromisoformat(str(meeting["date"])[:10]) + dt.timedelta(days=1)
    end_of_day = f"{day.isoformat()}T00:00:00.000000+00:00"
    created = str(meeting.get("created_at") or end_of_day)
    return min(created, end_of_day)


def osm_diff(store: MeetingStore, map_id: str,
             since: str | None) -> tuple[DiffResult | None, list[Place]]:
    """Diff the import current at ``since`` (else the first one) with the newest import.

    Returns
    -------
    tuple
        (the diff or None when fewer than two imports, the newest import's places).

    Raises
    ------
    InputError
        When the two imports cover different areas.
    """
    imports = oldest_first(store.list_imports(map_id))
    if not imports:
        return None, []
    last = imports[-1]
    places = list(store.get_import_places(last["id"]))
    older = [i for i in imports[:-1] if since is None or str(i["created_at"]) <= since]
    base = older[-1] if older else imports[0]
    if base["id"] == last["id"]:
        return None, places
    ensure_same_area(base.get("area"), last.get("area"))
    return diff_places(store.get_import_places(base["id"]), places), places


def open_drafts(store: MeetingStore, map_id: str, lang: str = "nl",
                today: dt.date | None = None) -> list[dict[str, Any]]:
    """Return the draft signals of the last two imports not yet accepted or ignored.

    The changes are :func:`osm_diff` of the two newest imports; a draft is decided
    once a signal from ``osm-diff`` with its title and tags is stored.

    Raises
    ------
    InputError
        When the two imports cover different areas.
    """
    diff, _ = osm_diff(store, map_id, None)
    if diff is None:
        return []
    done = {(s["title"], tuple(s.get("tags") or ())) for s in store.list_signals(map_id)
            if s.get("source") == "osm-diff"}
    return [d for d in draft_signals(diff, lang, today)
            if (d["title"], tuple(d["tags"])) not in done]


def gather(store: MeetingStore, map_id: str, today: dt.date, *, lang: str = "nl",
           worker: str | None = None, months: int = 3, days: int = 60) -> MeetingView:
    """Collect the meeting view of map ``map_id`` for ``today``.

    Parameters
    ----------
    store : Store
        An opened store.
    map_id : str
        Map id (or name).
    today : date
        Day of the meeting.
    lang : str
        Language of the labels.
    worker : str, optional
        Show only this worker's changes and follow-ups.
    months : int
        Follow up actors without contact for more than this many months.
    days : int
        Agenda horizon in days.

    Two imports of different areas are not compared: ``osm_error`` says why,
    and the rest of the view is complete.
    """
    the_map = store.get_map(map_id)
    map_id = the_map["id"]
    prev = previous_meeting(store.list_meetings(map_id), today)
    since = since_time(prev) if prev else None
    actors = store.list_actors(map_id)
    osm_error = None
    try:
        diff, places = osm_diff(store, map_id, since)
    except InputError as err:  # the rest of the meeting view still works
        last = newest(store.list_imports(map_id))
        diff, places, osm_error = None, list(store.get_import_places(last["id"])), str(err)
    changes = store.changes_since(map_id, since or EPOCH)
    report = summarize(changes, since, lang, actors, diff).for_user(worker)
    reflections = store.list_reflections(map_id)
    prev_day = str(prev["date"])[:10] if prev else None
    return MeetingView(
        map=the_map, today=today, previous=prev, since=report,
        follow_ups=follow_ups(actors, store.list_contacts(map_id), today, months, worker),
        agenda=agenda_mod.upcoming(store.list_agenda(map_id), today, days),
        reflections=reflections, movements=refl.moved_since(reflections, prev_day),
        diff=diff, places=places, actors=actors, osm_error=osm_error)
