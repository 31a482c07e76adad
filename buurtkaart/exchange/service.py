"""Export a map and import a file: the functions the CLI and the app call.

``export_map(store, map_id, profile, fmt, relations)`` returns the bytes of an
export; ``import_file(store, map_id, path, user, ...)`` imports a file in ONE
transaction (nothing is written when it fails or for a dry run) and returns an
:class:`~buurtkaart.exchange.plan.ImportReport`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.address import GeocodeIndex, GeocodeResult, geocode_offline
from buurtkaart.exchange import profiles as pr
from buurtkaart.exchange import storeio
from buurtkaart.exchange.mapping import FieldMapping, Geocoder
from buurtkaart.exchange.plan import ImportReport, Plan, plan_import
from buurtkaart.exchange.readers import ReadResult, max_upload_bytes, read_bytes
from buurtkaart.sources.addresses import load_index
from buurtkaart.sources.files import read_capped
from buurtkaart.store import Store
from buurtkaart.views import export_csv as csv_out
from buurtkaart.views import export_geojson as geojson_out
from buurtkaart.views import export_gpkg as gpkg_out

EXPORT_FORMATS = ("geojson", "gpkg", "csv")
SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv"}
MIME = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
        "csv": "text/csv"}
#: Called with (done, total) while an import is written.
Progress = Callable[[int, int], None]


def check_action(store: Store, action: str, map_ref: str) -> None:
    """Ask a guarded store for ``action`` on the map (PermissionDenied, exit 5, when refused).

    ``action`` is ``export_public|team|full`` or ``import``. Nothing is
    unwrapped: the export or import then reads and writes through the guarded
    store's own checked operations (one transaction for an import). A plain
    store (whoever holds the credentials) needs no check.
    """
    require = getattr(store, "require", None)
    if callable(require):
        require(action, map_ref)


def export_bundle(store: Store, map_id: str, profile: str) -> pr.ExportBundle:
    """Read the records of map ``map_id`` (name or id) that ``profile`` may need."""
    pr.check_profile(profile)
    check_action(store, f"export_{profile}", map_id)
    record = storeio.resolve_map(store, map_id)
    return storeio.read_bundle(store, record, history=profile == "full")


def render_export(bundle: pr.ExportBundle, profile: str, fmt: str, relations: bool = False,
                  delimiter: str = ",", now: datetime | None = None) -> bytes:
    """Return the bytes of an export of ``bundle`` (pure apart from a temporary GPKG file)."""
    pr.check_profile(profile)
    if fmt == "geojson":
        fc = geojson_out.build_collection(bundle, profile, relations, now)
        return (geojson_out.dumps(fc) + "\n").encode("utf-8")
    if fmt == "csv":
        fc = geojson_out.build_collection(bundle, profile, False, now)
        return ("\ufeff" + csv_out.to_csv_text(fc, delimiter)).encode("utf-8")
    if fmt == "gpkg":
        with tempfile.TemporaryDirectory() as tmp:
            path = gpkg_out.write_gpkg(bundle, Path(tmp) / "export.gpkg", profile, now)
            return path.read_bytes()
    msg = f"unknown export format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}"
    raise InputError(msg)


def export_map(store: Store, map_id: str, profile: str, fmt: str, relations: bool = False,
               delimiter: str = ",", now: datetime | None = None) -> bytes:
    """Export one map.

    Parameters
    ----------
    store : Store
        An open store.
    map_id : str
        Map name or id.
    profile : str
        ``public``, ``team`` or ``full``.
    fmt : str
        ``geojson``, ``gpkg`` or ``csv``.
    relations : bool
        GeoJSON: add the relation lines (the GeoPackage always has its relations layer).
    delimiter : str
        CSV: ``,`` or ``;``.
    now : datetime, optional
        Export time (default now).

    Returns
    -------
    bytes
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"unknown export format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}"
        raise InputError(msg)
    bundle = export_bundle(store, map_id, profile)
    return render_export(bundle, profile, fmt, relations, delimiter, now)


def offline_geocoder(osm_file: str | Path) -> Geocoder:
    """Return a geocode function on the offline index of ``osm_file``.

    The index is loaded (built once per extract, then cached) at the first
    address, so an import with coordinates never pays for it.
    """
    held: list[GeocodeIndex] = []

    def geocode(address: str) -> GeocodeResult:
        if not held:
            held.append(load_index(osm_file))
        return geocode_offline(address, held[0])

    return geocode


def _file_ids(result: ReadResult) -> dict[str, list[str]]:
    meta = result.meta or {}
    if meta.get("format") != pr.FORMAT_NAME:
        return {}
    by_layer: dict[str, list[str]] = {"actor": [], "signal": []}
    for raw in result.features:
        rid = raw.properties.get("id")
        if rid and raw.layer in ("actors", "signals"):
            by_layer["actor" if raw.layer == "actors" else "signal"].append(str(rid))
    by_layer["link"] = [str(x["id"]) for x in meta.get("links") or [] if x.get("id")]
    by_layer["contact"] = [str(x["id"]) for x in meta.get("contacts") or [] if x.get("id")]
    return by_layer


def plan_for(store: Store, map_record: Mapping[str, Any], result: ReadResult, name: str,
             on_duplicate: str = "merge", dry_run: bool = False,
             mapping: FieldMapping | None = None, geocode: Geocoder | None = None) -> Plan:
    """Plan the import of a read file into a map (reads the store, writes nothing).

    ``geocode`` locates rows without coordinates from their address
    (:func:`offline_geocoder`).
    """
    existing = [dict(a) for a in store.list_actors(map_record["id"])]
    taken: set[str] = set()
    for entity, ids in _file_ids(result).items():
        taken |= storeio.existing_ids(store, map_record["id"], entity, ids)
    center = None
    if map_record.get("lat") is not None and map_record.get("lon") is not None:
        center = (float(map_record["lat"]), float(map_record["lon"]))
    return plan_import(result, existing, taken, name, on_duplicate, dry_run, mapping, center,
                       geocode)


def apply_plan(store: Store, map_id: str, user: str, plan: Plan, source: str,
               progress: Progress | None = None, chunk: int = 500) -> None:
    """Write a plan in ONE transaction; any error rolls everything back.

    When the run is stopped from outside (Streamlit stops the script of a
    closed tab, Ctrl-C), the transaction is rolled back and a ``cancelled``
    event tells the user on their next visit that nothing was written.
    """
    if not user or not str(user).strip():
        msg = "no acting user for the import: pass --user NAME or set BUURTKAART_USER"
        raise InputError(msg)
    total = len(plan.ops)
    try:
        with store.transaction(import_by=user, what="file", map_id=map_id):
            for start in range(0, total, chunk):
                store.apply_many(user, map_id, plan.ops[start:start + chunk])
                if progress is not None:
                    progress(min(start + chunk, total), total)
            storeio.write_places(store, user, map_id, plan.places, source)
    except Exception:
        raise
    except BaseException:  # the session stopped (a closed tab): rolled back, say so
        store.note_cancelled_import(user, map_id, source)
        raise
    if progress is not None and total == 0:
        progress(0, 0)


def recent_cancelled(store: Store, map_id: str, user: str,
                     hours: int = 24) -> list[dict[str, Any]]:
    """Return ``user``'s imports into ``map_id`` cut off in the last ``hours`` (nothing written)."""
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).isoformat()
    return store.cancelled_imports(map_id, user, since)


def check_outcome(report: ImportReport) -> None:
    """Raise :class:`DataFileError` (exit 4) when no feature at all is valid.

    Duplicates skipped on purpose (``on_duplicate="skip"``) count as valid.
    """
    useful = report.imported + report.merged + report.duplicates + sum(report.extra.values())
    if useful == 0:
        reasons = "; ".join(f"#{r.index}: {r.reason}" for r in report.skipped[:5])
        more = f" (and {len(report.skipped) - 5} more)" if len(report.skipped) > 5 else ""
        msg = f"{report.file}: no valid feature to import: {reasons}{more}"
        raise DataFileError(msg)


def import_result(store: Store, map_id: str, result: ReadResult, name: str, user: str,
                  dry_run: bool = False, on_duplicate: str = "merge",
                  mapping: FieldMapping | None = None,
                  progress: Progress | None = None,
                  geocode: Geocoder | None = None) -> ImportReport:
    """Import an already read file (the app's wizard path); see :func:`import_file`."""
    check_action(store, "import", map_id)
    record = storeio.resolve_map(store, map_id)
    plan = plan_for(store, record, result, name, on_duplicate, dry_run, mapping, geocode)
    check_outcome(plan.report)
    if not dry_run:
        apply_plan(store, record["id"], user, plan, f"import:{name}", progress)
    return plan.report


def import_file(store: Store, map_id: str, path: str | Path, user: str, dry_run: bool = False,
                fmt: str = "auto", on_duplicate: str = "merge",
                mapping: FieldMapping | None = None,
                progress: Progress | None = None,
                geocode: Geocoder | None = None) -> ImportReport:
    """Import a GeoJSON, CSV, uMap or Overpass file into a map.

    Parameters
    ----------
    store : Store
        An open store.
    map_id : str
        Target map name or id.
    path : str or Path
        The file.
    user : str
        Acting user (author of the events).
    dry_run : bool
        Report what would happen; write nothing.
    fmt : str
        ``auto``, ``geojson``, ``csv``, ``umap`` or ``overpass``.
    on_duplicate : str
        ``merge`` or ``skip``.
    mapping : FieldMapping, optional
        Column mapping (guessed from the column names when None).
    progress : callable, optional
        ``progress(done, total)`` while writing.
    geocode : callable, optional
        For a CSV with an address column instead of coordinates: address ->
        point (:func:`offline_geocoder` of the map's extract). Rows it cannot
        place are skipped with their reason; rows placed only on the street or
        a square are imported and flagged in ``report.located``.

    Returns
    -------
    ImportReport

    Raises
    ------
    DataFileError
        Unreadable file, not the expected format, over a cap, or no valid feature.
    InputError, NotFoundError
        Bad option, unknown map.
    """
    result = read_bytes(read_capped(path, max_upload_bytes()), Path(path).name, fmt)
    return import_result(store, map_id, result, Path(path).name, user, dry_run,
                         on_duplicate, mapping, progress, geocode)


def import_bytes(store: Store, map_id: str, data: bytes, name: str, user: str,
                 dry_run: bool = False, fmt: str = "auto", on_duplicate: str = "merge",
                 mapping: FieldMapping | None = None,
                 progress: Progress | None = None) -> ImportReport:
    """Like :func:`import_file` for uploaded bytes."""
    result = read_bytes(data, name, fmt)
    return import_result(store, map_id, result, name, user, dry_run, on_duplicate, mapping,
                         progress)
