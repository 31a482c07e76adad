"""Neglected ties: relations without contact for more than N months, strongest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from buurtkaart._dates import to_date, whole_months_between
from buurtkaart.core import vocab
from buurtkaart.i18n import t
from buurtkaart.insights._common import (
    Text,
    counted,
    has_tie,
    join_names,
    name_of,
    strength,
    texts,
)

DEFAULT_MONTHS = 6


def last_contacts(actors: Sequence[Mapping[str, Any]],
                  contacts: Sequence[Mapping[str, Any]] = ()) -> dict[str, date | None]:
    """Return actor id -> latest contact date (the actor's field or its contact log)."""
    latest: dict[str, date | None] = {str(a.get("id")): to_date(a.get("last_contact"))
                                      for a in actors}
    for c in contacts:
        key, when = str(c.get("actor_id")), to_date(c.get("date"))
        if key in latest and when is not None:
            seen = latest[key]
            latest[key] = when if seen is None or when > seen else seen
    return latest


def neglected(actors: Sequence[Mapping[str, Any]], today: date, months: int = DEFAULT_MONTHS,
              contacts: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Return the ties (strength >= 1) with no contact for more than ``months`` months.

    Never-contacted ties are included (``last_contact`` None). Sorted by
    strength (strongest first), then by the oldest last contact.
    """
    latest = last_contacts(actors, contacts)
    items: list[dict[str, Any]] = []
    for actor in actors:
        if not has_tie(actor) or actor.get("status") == "conflict":
            continue
        seen = latest[str(actor.get("id"))]
        since = whole_months_between(seen, today) if seen else None
        if since is None or since > months:
            items.append({"id": actor.get("id"), "name": name_of(actor),
                          "strength": strength(actor), "status": actor.get("status"),
                          "last_contact": seen.isoformat() if seen else None,
                          "months_since": since})
    items.sort(key=lambda i: (-i["strength"], i["last_contact"] or "", i["name"].casefold()))
    return {"months": months, "today": today.isoformat(), "items": items,
            "sentence": _sentence(items, months)}


def _sentence(items: list[dict[str, Any]], months: int) -> Text:
    if not items:
        return texts("insights.neglected.none", months=months)
    strong = [i["name"] for i in items if i["strength"] >= 2]
    n = len(items)
    first = {lg: t("insights.neglected.first", lg, names=join_names(strong, lg))
             if strong else "" for lg in vocab.LANGS}
    head = texts("insights.neglected.sentence", ties=counted("count.ties", n), months=months)
    return {lg: head[lg] + first[lg] for lg in vocab.LANGS}
