"""GeoPackage export (via pyogrio/GDAL): layers organisation, actors, relations, signals, places.

Team and full exports add the non-spatial table ``contacts`` (the contact log),
full exports the table ``history`` (every event; ``before``/``after`` as JSON).

Each layer carries the export provenance as GDAL layer metadata and the dataset
as dataset metadata (profile, map, time, licence, attribution), so QGIS shows it
under the layer properties.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from buurtkaart.exchange import profiles as pr
from buurtkaart.exchange.profiles import ExportBundle
from buurtkaart.views import export_geojson as gj

LAYERS = ("organisation", "actors", "relations", "signals", "places")
_EMPTY_COLUMNS = {
    "organisation": ["id", "name", "map"],
    "actors": ["id", "name", "kind", "roles", "category", "osm_id"],
    "relations": ["id", "from_id", "to_id", "type", "relation_strength"],
    "signals": list(pr.SIGNAL_FIELDS),
    "places": [*pr.PLACE_FIELDS, "osm_tags"],
}
_GEOM_TYPE = {"relations": "LineString", "signals": "Unknown"}


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _frame(features: list[dict[str, Any]], layer: str) -> Any:
    import geopandas as gpd  # heavy optional dependency, loaded on first use

    records = [{k: _flat(v) for k, v in f["properties"].items() if k != "layer"}
               for f in features]
    geoms = [shape(f["geometry"]) if f["geometry"] else None for f in features]
    columns: list[str] = []
    for rec in records:
        columns += [k for k in rec if k not in columns]
    return gpd.GeoDataFrame(records, columns=columns or _EMPTY_COLUMNS[layer], geometry=geoms,
                            crs="EPSG:4326")


def write_gpkg(bundle: ExportBundle, path: str | Path, profile: str,
               now: datetime | None = None) -> Path:
    """Write the GeoPackage export of ``bundle`` under ``profile`` to ``path``.

    Parameters
    ----------
    bundle : ExportBundle
        The map's records.
    path : str or Path
        Target ``.gpkg`` file (replaced if it exists).
    profile : str
        ``public``, ``team`` or ``full``.
    now : datetime, optional
        Export time.

    Returns
    -------
    Path
    """
    import pyogrio  # heavy optional dependency, loaded on first use

    collection = gj.build_collection(bundle, pr.check_profile(profile), True, now)
    meta = collection["buurtkaart"]
    stamp = {k: str(meta[k]) for k in ("format", "profile", "exported_at", "licence",
                                       "attribution")}
    stamp["map"] = str(meta["map"].get("name"))
    out = Path(path)
    out.unlink(missing_ok=True)
    by_layer: dict[str, list[dict[str, Any]]] = {name: [] for name in LAYERS}
    for feat in collection["features"]:
        by_layer[feat["properties"]["layer"]].append(feat)
    for i, name in enumerate(LAYERS):
        frame = _frame(by_layer[name], name)
        pyogrio.write_dataframe(
            frame, out, layer=name, driver="GPKG", append=i > 0,
            geometry_type=_GEOM_TYPE.get(name, "Point"), promote_to_multi=False,
            layer_metadata=stamp, dataset_metadata=stamp if i == 0 else None,
        )
    _write_tables(out, meta, stamp)
    return out


def _write_tables(out: Path, meta: dict[str, Any], stamp: dict[str, str]) -> None:
    """Add the non-spatial tables: ``contacts`` (team, full) and ``history`` (full)."""
    import pandas as pd  # heavy optional dependency, loaded on first use
    import pyogrio  # heavy optional dependency, loaded on first use

    for name in ("contacts", "history"):
        rows = meta.get(name)
        if rows is None or (name == "history" and meta["profile"] != "full"):
            continue
        frame = pd.DataFrame([{k: _flat(v) for k, v in r.items()} for r in rows])
        if frame.empty:
            frame = pd.DataFrame({"id": pd.Series(dtype="str")})
        pyogrio.write_dataframe(frame, out, layer=name, driver="GPKG", append=True,
                                layer_metadata=stamp)
