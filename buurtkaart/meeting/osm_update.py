"""Newer OSM data for a map: an OsmChange file, the replication diffs, or a newer extract.

Each path ends the same way: the places of the map's area are read from the new
data, compared with the map's last import (:func:`~buurtkaart.meeting.diff.diff_places`),
and kept as the map's next import, so its draft signals appear like those of any
new extract (:func:`~buurtkaart.meeting.collect.open_drafts`). The OSM data of the
new import is kept as an area cut (:mod:`buurtkaart.sources.osmchange`) for the
next update. File work happens in ``sources``; this module only orchestrates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from buurtkaart._dates import newest
from buurtkaart._errors import InputError
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.core.ports import MapReader, Record
from buurtkaart.meeting.diff import DiffResult, diff_places, ensure_newer
from buurtkaart.meeting.signals import draft_signals
from buurtkaart.places import read_places
from buurtkaart.sources import osmchange
from buurtkaart.sources.extent import ensure_file_covers
from buurtkaart.sources.osmtime import extract_time

#: Progress callback: (percent 0-100, step key ``osm_update.step.<key>``).
Progress = Callable[[int, str], None]


class UpdateStore(MapReader, Protocol):
    """What an update needs of a store: read the map and its imports, add an import."""

    def import_places(self, user: str, map_id: str, places: Iterable[Any], *,
                      source: str, source_hash: str | None = None,
                      area: Any = None) -> str:
        """Keep one pull of OSM places; return the import id."""
        ...


@dataclass
class UpdateResult:
    """What an update did.

    Attributes
    ----------
    diff : DiffResult or None
        The changes against the last import; None when nothing was new.
    import_id : str or None
        The new import (None when nothing was written).
    drafts : list of dict
        The draft signals of the diff.
    basis : str
        How the ages were compared (``"header"``, ``"data"``, ``"none"``...).
    sequence : int or None
        Replication sequence reached (online updates).
    """

    diff: DiffResult | None
    import_id: str | None
    drafts: list[dict[str, Any]] = field(default_factory=list)
    basis: str = "none"
    sequence: int | None = None


def _quiet(_pct: int, _step: str) -> None:
    return None


def last_import(store: UpdateStore, map_id: str) -> tuple[Record, Area]:
    """Return the map's newest import and the map's area.

    Raises
    ------
    InputError
        When the map has no area or no import yet.
    """
    the_map = store.get_map(map_id)
    if not the_map.get("area"):
        msg = f"map {the_map['name']!r} has no area"
        raise InputError(msg)
    last = newest(store.list_imports(the_map["id"]))
    if last is None:
        msg = f"map {the_map['name']!r} has no OSM import yet; import an extract first"
        raise InputError(msg)
    return last, Area.from_dict(the_map["area"])


def _finish(store: UpdateStore, user: str, last: Record, area: Area, cut: Path,
            source: str, lang: str, progress: Progress) -> UpdateResult:
    """Read the cut's places, diff with the last import, keep them as the next import."""
    progress(60, "read")
    new = read_places(cut, area)
    old: Sequence[Place] = store.get_import_places(last["id"])
    progress(80, "diff")
    diff = diff_places(old, new, area)
    import_id = store.import_places(user, str(last["map_id"]), new, source=source,
                                    area=area.to_dict())
    osmchange.keep_cut(cut, import_id)
    progress(100, "done")
    return UpdateResult(diff, import_id, draft_signals(diff, lang))


def _work_file(name: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return osmchange.base_dir() / f".work-{stamp}-{name}.osm.pbf"


def apply_change_files(store: UpdateStore, user: str, map_id: str, changes: Sequence[Path],
                       *, base: Path | None = None, lang: str = "nl",
                       progress: Progress = _quiet) -> UpdateResult:
    """Apply OsmChange files to the map's last import (its area only) and keep the result.

    Parameters
    ----------
    store : UpdateStore
        An opened (guarded) store.
    user, map_id : str
        Acting user and map.
    changes : sequence of Path
        ``.osc``/``.osc.gz`` files, oldest first.
    base : Path, optional
        The extract the last import was read from, when no cut is kept for it.
    lang : str
        Language of the draft signals.
    progress : callable, optional
        Told ``(percent, step)`` as the work goes.
    """
    last, area = last_import(store, map_id)
    for path in changes:
        osmchange.check_change_file(path)
    source_file = osmchange.find_base(str(last["id"]), str(last.get("source") or ""), base)
    progress(10, "apply")
    cut = osmchange.update_cut(source_file, changes, area, _work_file("osc"))
    names = ",".join(p.name for p in changes)
    return _finish(store, user, last, area, cut, f"osc:{names}", lang, progress)


def apply_replication(store: UpdateStore, user: str, map_id: str, *,
                      base: Path | None = None, lang: str = "nl",
                      progress: Progress = _quiet) -> UpdateResult:
    """Apply the replication diffs after the last import's state (``BUURTKAART_REPLICATION_URL``).

    Returns an empty result (nothing written) when the server has nothing new.
    """
    last, area = last_import(store, map_id)
    source_file = osmchange.find_base(str(last["id"]), str(last.get("source") or ""), base)
    progress(10, "download")
    out = _work_file("replication")
    done = osmchange.update_online(source_file, area, out)
    if done is None:
        return UpdateResult(None, None)
    result = _finish(store, user, last, area, out, f"replication:{done[0]}", lang, progress)
    result.sequence = done[0]
    return result


def import_newer_extract(store: UpdateStore, user: str, map_id: str, path: Path, *,
                         name: str | None = None, lang: str = "nl",
                         progress: Progress = _quiet) -> UpdateResult:
    """Import a newer extract of the map's area; refuse an older one or another area.

    The extract's age is compared with the OSM data of the last import (its kept
    cut or source extract) by header timestamp, else by the newest object.
    Nothing is written when it is refused.

    Raises
    ------
    InputError
        When the extract does not cover the map's area, or is older than the last import.
    """
    last, area = last_import(store, map_id)
    label = name or path.name
    progress(5, "check")
    ensure_file_covers(path, area)
    basis = "none"
    try:
        previous: Path | None = osmchange.find_base(str(last["id"]),
                                                    str(last.get("source") or ""))
    except InputError:
        previous = None
    if previous is not None:
        a, b = extract_time(previous), extract_time(path)
        basis = ensure_newer((str(last.get("source") or previous.name), a.when, a.basis),
                             (label, b.when, b.basis), lang)
    progress(30, "cut")
    cut = osmchange.cut_area(path, area, _work_file("extract"))
    result = _finish(store, user, last, area, cut, f"file:{label}", lang, progress)
    result.basis = basis
    return result
