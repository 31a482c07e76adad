"""Import planning: turn a read file into store writes and a report, writing nothing.

:func:`plan_import` validates every feature, finds duplicates and decides the
writes; the service applies them in one transaction (or not, for a dry run).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from buurtkaart._errors import InputError
from buurtkaart.exchange import profiles as pr
from buurtkaart.exchange.dedupe import ON_DUPLICATE, ActorIndex, merge_fields
from buurtkaart.exchange.mapping import Candidate, FieldMapping, Geocoder, Located, to_candidates
from buurtkaart.exchange.readers import ReadResult, Rejection, representative_point
from buurtkaart.exchange.readers._common import GeometryProblem
from buurtkaart.store.records import FIELDS, coerce

_ACTOR_KEYS: tuple[str, ...] = ()


def actor_keys() -> tuple[str, ...]:
    """Return the actor fields the store accepts on insert."""
    global _ACTOR_KEYS
    if not _ACTOR_KEYS:
        _ACTOR_KEYS = tuple(f.name for f in FIELDS["actor"] if f.name != "map_id")
    return _ACTOR_KEYS


@dataclass
class ImportReport:
    """What an import did (or would do, in a dry run)."""

    file: str
    fmt: str
    dry_run: bool
    total: int = 0
    imported: int = 0
    merged: int = 0
    duplicates: int = 0
    skipped: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    #: rows without a point, located from their address (misses too)
    located: list[Located] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the human-readable report (one line each)."""
        verb = "would import" if self.dry_run else "imported"
        out = [f"{self.file} ({self.fmt}): {self.total} features; {verb} {self.imported}, "
               f"merged {self.merged}, skipped {len(self.skipped)}"]
        out += [f"  {k}: {v}" for k, v in self.extra.items() if v]
        out += [_located_line(loc) for loc in self.located if loc.precision]
        out += [f"  skipped #{r.index}: {r.reason}" for r in self.skipped]
        out += [f"  note: {n}" for n in self.notes]
        if self.dry_run:
            out.append("  dry run: nothing was written")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of the report."""
        data = asdict(self)
        data.pop("preview")
        return data


def _located_line(loc: Located) -> str:
    where = f"{loc.label} ({loc.commune})" if loc.commune else loc.label
    check = "; CHECK the point: only the street or a square was found" if loc.check else ""
    return f"  geocoded #{loc.index} {loc.address!r}: {loc.precision} -> {where}{check}"


@dataclass
class Plan:
    """Writes to apply (``Store.apply_many`` ops) and the report."""

    ops: list[tuple[Any, ...]]
    report: ImportReport
    places: list[dict[str, Any]] = field(default_factory=list)


def _store_fields(fields: dict[str, Any]) -> dict[str, Any]:
    keys = actor_keys()
    out = {k: v for k, v in fields.items() if k in keys}
    if out.get("kind") == "person" and out.get("privacy") not in ("team", "private"):
        out.pop("privacy", None)  # a file never makes a person public: the policy's team
    return out


def _check(fields: dict[str, Any]) -> str | None:
    try:
        coerce("actor", fields)
    except InputError as e:
        return str(e)
    return None


def plan_import(result: ReadResult, existing: list[dict[str, Any]], taken_ids: set[str],
                name: str, on_duplicate: str = "merge", dry_run: bool = False,
                mapping: FieldMapping | None = None,
                center: tuple[float, float] | None = None,
                geocode: Geocoder | None = None) -> Plan:
    """Decide the writes of an import.

    Parameters
    ----------
    result : ReadResult
        The read file.
    existing : list of dict
        The target map's actors.
    taken_ids : set of str
        Actor ids of the file already used anywhere in the store (they get new ids).
    name : str
        File name for the report.
    on_duplicate : str
        ``merge`` (fill empty fields of the existing actor) or ``skip``.
    dry_run : bool
        Only recorded in the report.
    mapping : FieldMapping, optional
        Column mapping (guessed when None).
    center : tuple, optional
        The map's point, for the swapped-coordinates check.
    geocode : callable, optional
        Address -> point, for rows without coordinates (an address-only CSV);
        without it such rows are skipped with their reason.
    """
    if on_duplicate not in ON_DUPLICATE:
        msg = f"unknown --on-duplicate {on_duplicate!r}: expected merge or skip"
        raise InputError(msg)
    # planning appends rejections: work on a copy so a result can be planned again
    result = replace(result, rejected=list(result.rejected), notes=list(result.notes))
    report = ImportReport(name, result.fmt, dry_run, notes=list(result.notes))
    report.total = len(result.features) + len(result.rejected)
    candidates = to_candidates(result, mapping, center, geocode, report.located)
    index = ActorIndex(existing)
    ops: list[tuple[Any, ...]] = []
    id_map: dict[str, str] = {}
    planned: dict[str, dict[str, Any]] = {}
    for cand in candidates:
        _plan_actor(cand, index, taken_ids, on_duplicate, ops, (id_map, planned), report,
                    result)
    if result.meta is not None and result.meta.get("format") == pr.FORMAT_NAME:
        _plan_export_records(result, id_map, taken_ids, ops, report)
    report.skipped = sorted(result.rejected, key=lambda r: r.index)
    plan = Plan(ops, report)
    if result.meta is not None and result.meta.get("format") == pr.FORMAT_NAME:
        plan.places = export_places(result, report)
    return plan


def _plan_actor(cand: Candidate, index: ActorIndex, taken: set[str], on_duplicate: str,
                ops: list[tuple[Any, ...]],
                maps: tuple[dict[str, str], dict[str, dict[str, Any]]],
                report: ImportReport, result: ReadResult) -> None:
    id_map, planned = maps
    fields = _store_fields(cand.fields)
    why = _check(fields)
    if why:
        result.rejected.append(Rejection(cand.index, why))
        return
    old_id = cand.fields.get("id")
    hit = index.match(fields)
    if hit is not None:
        actor, reason = hit
        if old_id:
            id_map[str(old_id)] = actor["id"]
        if on_duplicate == "skip":
            report.duplicates += 1
            result.rejected.append(Rejection(cand.index, f"duplicate of actor {actor['id']} "
                                                         f"({reason}); skipped"))
            return
        changes = merge_fields(actor, fields)
        if changes and actor["id"] in planned:
            planned[actor["id"]].update(changes)
        elif changes:
            ops.append(("actor", "update", actor["id"], changes, actor.get("version")))
        actor.update(changes)
        report.merged += 1
        report.notes.append(f"#{cand.index} merged into {actor['id']} ({reason})")
        return
    new_id = str(old_id) if old_id and str(old_id) not in taken else str(uuid.uuid4())
    if old_id:
        id_map[str(old_id)] = new_id
    row = dict(fields)
    ops.append(("actor", "insert", new_id, row))
    planned[new_id] = row
    index.add({**row, "id": new_id})
    report.imported += 1
    if len(report.preview) < 50:
        report.preview.append({"index": cand.index, "id": new_id, **row})


def _keep_id(rid: Any, taken: set[str]) -> str:
    return str(rid) if rid and str(rid) not in taken else str(uuid.uuid4())


def _plan_export_records(result: ReadResult, id_map: dict[str, str], taken: set[str],
                         ops: list[tuple[Any, ...]], report: ImportReport) -> None:
    meta = result.meta or {}
    done = {"links": 0, "contacts": 0, "signals": 0}
    derived = sum(1 for r in result.features if r.layer in ("organisation", "relations"))
    if derived:
        report.notes.append(f"{derived} organisation/relation-line features not imported: "
                            "the target map keeps its own organisation and lines are "
                            "drawn from the links")
    for link in meta.get("links") or []:
        a, b = id_map.get(str(link.get("from_id"))), id_map.get(str(link.get("to_id")))
        if a is None or b is None:
            report.notes.append(f"link {link.get('id')}: an end was not imported; skipped")
            continue
        data = {k: link.get(k) for k in ("type", "strength", "note") if k in link}
        data.update(from_id=a, to_id=b)
        ops.append(("link", "insert", _keep_id(link.get("id"), taken), data))
        done["links"] += 1
    for contact in meta.get("contacts") or []:
        actor = id_map.get(str(contact.get("actor_id")))
        if actor is None:
            report.notes.append(f"contact {contact.get('id')}: its actor was not imported")
            continue
        keep = ("date", "user", "channel", "outcome", "note")
        data = {k: contact.get(k) for k in keep if k in contact}
        data["actor_id"] = actor
        ops.append(("contact", "insert", _keep_id(contact.get("id"), taken), data))
        done["contacts"] += 1
    for raw in result.features:
        if raw.layer != "signals":
            continue
        props = raw.properties
        data = {k: props.get(k) for k in ("date", "type", "title", "description", "source",
                                          "tags", "status") if k in props}
        geom = raw.geometry
        if geom is not None and geom.get("type") == "Point" and not props.get("area_only"):
            data["lon"], data["lat"] = geom["coordinates"][:2]
        elif geom is not None:
            data["area"] = geom
        ops.append(("signal", "insert", _keep_id(props.get("id"), taken), data))
        done["signals"] += 1
    report.extra.update(done)


def export_places(result: ReadResult, report: ImportReport) -> list[dict[str, Any]]:
    """Return the OSM places of a buurtkaart export (restored as one place import)."""
    places = []
    for raw in result.features:
        if raw.layer != "places":
            continue
        try:
            lat, lon = representative_point(raw.geometry)
        except GeometryProblem as e:
            result.rejected.append(Rejection(raw.index, f"place: {e}"))
            continue
        props = raw.properties
        place = {k: props.get(k) for k in pr.PLACE_FIELDS}
        place.update(lat=lat, lon=lon, tags=dict(props.get("osm_tags") or {}))
        places.append(place)
    report.extra["places"] = len(places)
    report.skipped = sorted(result.rejected, key=lambda r: r.index)
    return places
