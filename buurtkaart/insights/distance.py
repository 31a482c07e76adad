"""How the relations spread over distance from the organisation."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from buurtkaart.core.geo import distance_m
from buurtkaart.insights._common import (
    STRONG,
    Text,
    counted,
    has_tie,
    located,
    name_of,
    strength,
    texts,
)

#: Upper edges of the distance bands (metres); the last band is open.
BANDS_M = (100, 300, 500, 1000, 2000)
_NICE = (100, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000)


def nice_bound(metres: float) -> int:
    """Return the smallest round distance >= ``metres`` (100, 200, 300, 500, 750, 1000...)."""
    for value in _NICE:
        if metres <= value:
            return value
    return int(math.ceil(metres / 5000) * 5000)


def band_of(metres: float) -> str:
    """Return the band label of a distance, e.g. ``"100-300"`` or ``">2000"``."""
    low = 0
    for high in BANDS_M:
        if metres <= high:
            return f"{low}-{high}"
        low = high
    return f">{BANDS_M[-1]}"


def distance(org: tuple[float, float] | None,
             actors: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Return the distance of every tie (strength >= 1) and the bands per strength.

    Parameters
    ----------
    org : (lat, lon) or None
        The organisation's location; None gives an empty result with a message.
    """
    ties = [a for a in actors if has_tie(a) and located(a)]
    if org is None or org[0] is None or not ties:
        return {"bands": [], "ties": [], "strong_within_m": None, "median_m": {},
                "sentence": _sentence(None, 0, org is None)}
    rows: list[dict[str, Any]] = [
        {"id": a.get("id"), "name": name_of(a), "strength": strength(a),
         "distance_m": round(distance_m(org[0], org[1], a["lat"], a["lon"]), 1)} for a in ties]
    rows.sort(key=lambda r: float(r["distance_m"]))
    labels = [band_of(0)] + [band_of(b + 1) for b in BANDS_M]
    bands = [{"band": lab, **{str(s): sum(1 for r in rows if r["strength"] == s
                                          and band_of(r["distance_m"]) == lab)
                              for s in (1, 2, 3)}} for lab in labels]
    strong = [r["distance_m"] for r in rows if r["strength"] >= STRONG]
    median = {str(s): _median([r["distance_m"] for r in rows if r["strength"] == s])
              for s in (1, 2, 3)}
    bound = nice_bound(max(strong)) if strong else None
    return {"bands": bands, "ties": rows, "strong_within_m": bound,
            "strong_max_m": max(strong) if strong else None,
            "median_m": {k: v for k, v in median.items() if v is not None},
            "sentence": _sentence(bound, len(strong), False)}


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _sentence(bound: int | None, n_strong: int, no_org: bool) -> Text:
    if no_org:
        return texts("insights.distance.no_org")
    if bound is None:
        return texts("insights.distance.no_strong")
    return counted("insights.distance.sentence", n_strong, bound=bound)
