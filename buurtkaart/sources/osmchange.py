"""OsmChange files applied to an area's OSM data with pyosmium, and area cuts.

A map keeps the OSM data of its last import as an *area cut*: the objects in the
area's box (with the usual margin), completed with every node of their ways and
every member way of their relations, so the places read from the cut are those
read from the full extract. An OsmChange file (``.osc``/``.osc.gz``) is merged
into the cut in one pass (``MergeInputReader.apply_to_reader``: per object the
highest version wins, deleted objects are dropped) and becomes the next import's
base. Objects a change adds outside the area are only cut away every
:data:`RECUT_EVERY` updates (or at once when the base is not a cut of this area):
cutting costs more than the merge, and the places read from the merged data are
the same (reading keeps the area only).

Cuts are kept under ``<cache dir>/osm-base/<import id>.osm.pbf``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import osmium

from buurtkaart import settings
from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.area import Area
from buurtkaart.core.geo import in_bbox
from buurtkaart.sources import _replication
from buurtkaart.sources.common import margin_bbox

#: Updates merged into a cut before it is cut to the area again.
RECUT_EVERY = 7
#: Header fields of a cut: which area (a hash of its dict) and updates since the cut.
AREA_KEY, UPDATES_KEY = "buurtkaart_area", "buurtkaart_updates"

#: Suffixes of OsmChange files.
CHANGE_SUFFIXES = (".osc", ".osc.gz", ".osc.bz2")


def base_dir() -> Path:
    """Return the folder of the area cuts (``<cache dir>/osm-base``)."""
    return settings.cache_dir() / "osm-base"


def cut_path(import_id: str) -> Path:
    """Return the path of the area cut kept for import ``import_id``."""
    return base_dir() / f"{import_id}.osm.pbf"


def keep_cut(path: Path, import_id: str) -> Path:
    """Keep the area cut at ``path`` as the OSM data of import ``import_id``; return its path."""
    target = cut_path(import_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
    return target


def check_change_file(path: Path) -> None:
    """Raise :class:`DataFileError` unless ``path`` is an existing OsmChange file."""
    if not path.is_file():
        msg = f"change file {path} does not exist"
        raise DataFileError(msg)
    if not path.name.lower().endswith(CHANGE_SUFFIXES):
        msg = f"change file {path} is not an OsmChange file (.osc, .osc.gz or .osc.bz2)"
        raise InputError(msg)


def _tmp(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.tmp.osm.pbf")


def area_key(area: Area) -> str:
    """Return a short stable key of an area (marks the cuts made for it)."""
    text = json.dumps(area.to_dict(), sort_keys=True, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _read_header(path: Path) -> osmium.io.Header:
    reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
    try:
        return reader.header()
    finally:
        reader.close()


def _header(base: osmium.io.Header | None,
            extra: Mapping[str, str] | None = None) -> osmium.io.Header:
    header = osmium.io.Header()
    header.set("generator", "buurtkaart")
    for key, value in (extra or {}).items():
        header.set(key, value)
    if base is not None:
        for key in ("osmosis_replication_timestamp", "osmosis_replication_sequence_number",
                    "osmosis_replication_base_url", "timestamp"):
            value = base.get(key, "")
            if value:
                header.set(key, value)
    return header


def cut_area(src: Path, area: Area, out: Path,
             header: osmium.io.Header | None = None) -> Path:
    """Write the objects of ``src`` that make up ``area``'s places to ``out`` (.osm.pbf).

    Parameters
    ----------
    src : Path
        An OSM file (full extract or a previous cut).
    area : Area
        The map's area; its box with margin decides which nodes are kept.
    out : Path
        Output ``.osm.pbf``; replaced atomically.
    header : osmium.io.Header, optional
        Header fields to keep (replication timestamp and sequence); default: those of ``src``.

    Returns
    -------
    Path
        ``out``.
    """
    box = margin_bbox(area)
    try:
        if header is None:
            header = _read_header(src)
        tracker = osmium.IdTracker()
        for node in osmium.FileProcessor(str(src), osmium.osm.NODE):
            loc = node.location  # type: ignore[union-attr]
            if loc.valid() and in_bbox(loc.lat, loc.lon, box):
                tracker.add_node(node.id)
        tracker.complete_forward_references(str(src), relation_depth=2)
        tracker.complete_backward_references(str(src), relation_depth=2)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = _tmp(out)
        tmp.unlink(missing_ok=True)
        head = _header(header, {AREA_KEY: area_key(area), UPDATES_KEY: "0"})
        writer = osmium.SimpleWriter(osmium.io.File(str(tmp), "pbf"), header=head)
        try:
            osmium.apply(str(src), tracker.id_filter(), writer)  # filter and write in C++
        finally:
            writer.close()
    except RuntimeError as e:
        msg = f"cannot cut OSM file {src} to the area: {e}"
        raise DataFileError(msg) from e
    tmp.replace(out)
    return out


def apply_changes(base: Path, changes: Sequence[Path], out: Path,
                  header: osmium.io.Header | None = None,
                  extra: Mapping[str, str] | None = None) -> Path:
    """Merge OsmChange files into ``base`` and write the result to ``out`` (.osm.pbf).

    Raises
    ------
    DataFileError
        When a file is missing or unreadable.
    """
    if not base.is_file():
        msg = f"OSM base file {base} does not exist"
        raise DataFileError(msg)
    merger = osmium.MergeInputReader()
    try:
        for path in changes:
            check_change_file(path)
            merger.add_file(str(path))
        reader = osmium.io.Reader(str(base))
        head = _header(header or reader.header(), extra)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.unlink(missing_ok=True)
        writer = osmium.io.Writer(osmium.io.File(str(out), "pbf"), head)
        try:
            merger.apply_to_reader(reader, writer, False)
        finally:
            writer.close()
            reader.close()
    except RuntimeError as e:
        names = ", ".join(p.name for p in changes)
        msg = f"cannot apply {names} to {base.name}: {e}"
        raise DataFileError(msg) from e
    return out


def update_cut(base: Path, changes: Sequence[Path], area: Area, out: Path) -> Path:
    """Apply ``changes`` to ``base`` into ``out``; cut to ``area`` when it is time.

    The result is cut when ``base`` is no cut of ``area`` (a full extract) or has
    had :data:`RECUT_EVERY` updates since its cut; else the merge is kept as is.
    """
    head = _read_header(base) if base.is_file() else None
    updates = head.get(UPDATES_KEY, "") if head is not None else ""
    if head is not None and head.get(AREA_KEY, "") == area_key(area) \
            and updates.isdigit() and int(updates) + 1 < RECUT_EVERY:
        return apply_changes(base, changes, out, extra={AREA_KEY: area_key(area),
                                                        UPDATES_KEY: str(int(updates) + 1)})
    merged = _tmp(out).with_suffix(".merged.osm.pbf")
    try:
        apply_changes(base, changes, merged)
        return cut_area(merged, area, out)
    finally:
        merged.unlink(missing_ok=True)


def update_online(base: Path, area: Area, out: Path) -> tuple[int, int] | None:
    """Apply the replication diffs after ``base``'s state, cut to ``area``, write ``out``.

    Returns
    -------
    tuple or None
        (last applied sequence, newest available); None when nothing is new.

    Raises
    ------
    InputError
        When ``BUURTKAART_REPLICATION_URL`` is not set.
    SourceUnavailable
        When the replication server cannot be reached (fails fast).
    """
    url = _replication.replication_url()
    if not url:
        msg = "no replication server configured: set BUURTKAART_REPLICATION_URL"
        raise InputError(msg)
    merged = _tmp(out).with_suffix(".merged.osm.pbf")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        done = _replication.fetch_update(url, base, merged)
        if done is not None:
            cut_area(merged, area, out)
        return done
    finally:
        merged.unlink(missing_ok=True)


def find_base(import_id: str, source: str, given: Path | None = None) -> Path:
    """Return the OSM data of an import: ``given``, its kept cut, or the extract it came from.

    The extract is looked up by the import's ``file:NAME`` source in
    ``BUURTKAART_OSM_FILE`` and ``BUURTKAART_OSM_DIR``.

    Raises
    ------
    InputError
        When none of them exists.
    """
    if given is not None:
        if not given.is_file():
            msg = f"OSM base file {given} does not exist"
            raise DataFileError(msg)
        return given
    kept = cut_path(import_id)
    if kept.is_file():
        return kept
    name = source.removeprefix("file:") if source.startswith("file:") else ""
    candidates = [Path(settings.get("BUURTKAART_OSM_FILE"))]
    with contextlib.suppress(ImportError):  # the wizard's default: the demo extract
        candidates.append(settings.demo_osm_file())
    folder = settings.get("BUURTKAART_OSM_DIR")
    if folder and name:
        candidates.append(Path(folder) / name)
    for path in candidates:
        if name and path.name == name and path.is_file():
            return path
    msg = (f"no OSM data is kept for the map's last import (source {source!r}); give the "
           "extract it was imported from with --base FILE")
    raise InputError(msg)


def save_upload(data: bytes, name: str, max_bytes: int) -> Path:
    """Keep an uploaded extract under ``<cache dir>/osm-base/uploads``; return its path.

    Raises
    ------
    DataFileError
        Over ``max_bytes`` (``BUURTKAART_MAX_UPLOAD_MB``), not an ``.osm.pbf``, or unwritable.
    """
    if len(data) > max_bytes:
        msg = (f"{name} is {len(data) / 1048576:.1f} MB, over the upload limit of "
               f"{max_bytes / 1048576:.0f} MB (BUURTKAART_MAX_UPLOAD_MB)")
        raise DataFileError(msg)
    if not name.lower().endswith(".osm.pbf"):
        msg = f"{name} is not an OSM extract (.osm.pbf)"
        raise DataFileError(msg)
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]
    path = base_dir() / "uploads" / f"{digest}.osm.pbf"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _tmp(path)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as e:
        msg = f"cannot keep the uploaded extract {name}: {e.strerror or e}"
        raise DataFileError(msg) from e
    return path


def discard_upload(path: Path) -> None:
    """Remove an upload kept by :func:`save_upload` (nothing else is removed)."""
    if path.parent == base_dir() / "uploads":
        path.unlink(missing_ok=True)


def folder_extracts() -> list[Path]:
    """Return the ``.osm.pbf`` files of ``BUURTKAART_OSM_DIR``, by name (empty when unset)."""
    folder = settings.get("BUURTKAART_OSM_DIR")
    if not folder or not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).iterdir() if p.name.lower().endswith(".osm.pbf"))
