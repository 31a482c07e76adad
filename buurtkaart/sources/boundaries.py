"""Named areas from a boundaries GeoJSON file (communes, neighbourhoods)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from buurtkaart._errors import DataFileError
from buurtkaart.core.area import Area, boundary_area


def area_from_boundaries(path: str | Path, name: str) -> Area:
    """Return the polygon named ``name`` from a boundaries GeoJSON file.

    Matches ``name``, ``name:nl`` or ``name:fr`` ignoring case and accents
    (see :func:`buurtkaart.core.area.boundary_area`).

    Raises
    ------
    DataFileError
        Missing or unreadable file, or no features.
    AreaNotFound
        No (or more than one) area matches; the message names the closest.
    """
    return boundary_area(read_boundaries(Path(path)), name, str(path))


def read_boundaries(path: Path) -> list[dict[str, Any]]:
    """Return the features with a geometry of a boundaries GeoJSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        msg = f"boundaries file {path} does not exist"
        raise DataFileError(msg) from e
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        msg = f"boundaries file {path} is not readable GeoJSON: {e}"
        raise DataFileError(msg) from e
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list) or not feats:
        msg = f"boundaries file {path} has no features"
        raise DataFileError(msg)
    return [f for f in feats if isinstance(f, dict) and f.get("geometry")]
