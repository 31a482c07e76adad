"""Coverage per place category: the places in the area against the actors we relate to.

An actor belongs to a category by its own ``category`` field, else by the
category of the place with the same ``osm_id``. A place "is an actor" when an
actor carries its ``osm_id``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from buurtkaart.i18n import LANGS
from buurtkaart.insights._common import (
    REGULAR,
    Text,
    category_label,
    counted,
    has_tie,
    is_active,
    strength,
    texts,
)

#: Categories the headline skips while an untied institution-like category exists
#: (commerce and public space stay in the figures and the table).
HEADLINE_SKIP = frozenset({"horeca", "shop", "shop_food", "public_space"})


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def actor_categories(actors: Sequence[Mapping[str, Any]],
                     places: Sequence[Any]) -> dict[str, str | None]:
    """Return actor id -> category (own field first, then the matching place's)."""
    by_osm = {_get(p, "osm_id"): _get(p, "category") for p in places if _get(p, "osm_id")}
    return {str(a.get("id")): a.get("category") or by_osm.get(a.get("osm_id")) for a in actors}


def coverage(places: Sequence[Any], actors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per category present among the places or the actors.

    Each row: ``category``, ``places`` (in the area), ``places_as_actor``,
    ``actors`` (actors of that category), ``with_tie`` (strength >= 1),
    ``active_regular`` (active status and strength >= 2), ``max_strength``,
    ``strengths`` (``"0"``..``"3"`` -> count) and ``no_ties`` (places here but
    no actor with a tie). Sorted by places, then actors, descending.
    """
    place_count = Counter(str(_get(p, "category") or "other") for p in places)
    actor_osm = {a.get("osm_id") for a in actors if a.get("osm_id")}
    as_actor = Counter(str(_get(p, "category") or "other") for p in places
                       if _get(p, "osm_id") in actor_osm)
    cats = actor_categories(actors, places)
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for actor in actors:
        cat = cats[str(actor.get("id"))]
        if cat:
            grouped[cat].append(actor)
    rows = [_row(cat, place_count.get(cat, 0), as_actor.get(cat, 0), grouped.get(cat, []))
            for cat in set(place_count) | set(grouped)]
    return sorted(rows, key=lambda r: (-r["places"], -r["actors"], r["category"]))


def _row(cat: str, n_places: int, n_as_actor: int,
         members: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    levels = Counter(strength(a) for a in members)
    with_tie = sum(1 for a in members if has_tie(a))
    return {
        "category": cat,
        "label": {lg: category_label(cat, lg) for lg in ("nl", "fr", "en")},
        "places": n_places,
        "places_as_actor": n_as_actor,
        "actors": len(members),
        "with_tie": with_tie,
        "active_regular": sum(1 for a in members if is_active(a, REGULAR)),
        "max_strength": max((strength(a) for a in members), default=0),
        "strengths": {str(k): levels.get(k, 0) for k in range(4)},
        "no_ties": n_places > 0 and with_tie == 0,
    }


def untied_categories(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return the categories with places in the area and no tie, most places first."""
    return [r["category"] for r in rows if r["no_ties"]]


def sentence(rows: Sequence[Mapping[str, Any]]) -> Text:
    """Return the headline, e.g. "Moskee: 13 in de buurt, met geen enkele hebben we contact".

    It names the untied category with the most places, preferring institutions
    (anything outside :data:`HEADLINE_SKIP`) to shops, horeca and public space.
    """
    untied = [r for r in rows if r["no_ties"]]
    institutions = [r for r in untied if r["category"] not in HEADLINE_SKIP]
    if not rows:
        return texts("insights.coverage.no_places")
    if not untied:
        return texts("insights.coverage.all_tied")
    top = (institutions or untied)[0]
    n, others = top["places"], len(untied) - 1
    lab = {lg: category_label(top["category"], lg) for lg in LANGS}
    more = counted("insights.coverage.more", others) if others else dict.fromkeys(LANGS, "")
    return texts("insights.coverage.sentence", category=lab, n=n, more=more)


def gap_order(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Return the rows biggest gap first: untied categories (most places first), then the
    ones with the smallest share of places that are actors with a tie."""
    def key(r: Mapping[str, Any]) -> tuple[bool, float, int, str]:
        share = r["with_tie"] / r["places"] if r["places"] else 1.0
        return (not r["no_ties"], share, -r["places"], r["category"])
    return sorted(rows, key=key)


def split_groups(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Return ``{"institutions": [...], "commerce": [...]}`` in :func:`gap_order`.

    Shops, horeca and public space (:data:`HEADLINE_SKIP`) get their own chart
    and scale, so their hundreds of places do not flatten the small categories.
    """
    ordered = gap_order(rows)
    return {"institutions": [r for r in ordered if r["category"] not in HEADLINE_SKIP],
            "commerce": [r for r in ordered if r["category"] in HEADLINE_SKIP]}
