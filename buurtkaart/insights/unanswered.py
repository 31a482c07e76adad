"""Ties the log contradicts: the status says "in gesprek", the last attempts got no answer.

A tie counts as *unanswered* when its latest contact attempts (up to
:data:`RECENT_ATTEMPTS`) all failed (outcome ``no_answer`` or ``refused``) and
there are at least :data:`MIN_FAILED` of them. A single missed call is normal;
two or three in a row while the status still says ``in_conversation`` or
``cooperating`` means the status (and "bereikt" in the island score) needs a look.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from buurtkaart.i18n import LANGS
from buurtkaart.insights._common import (
    ACTIVE_STATUSES,
    Text,
    counted,
    join_names,
    name_of,
    texts,
)

#: Outcomes of a contact attempt that did not reach the actor.
FAILED_OUTCOMES = frozenset({"no_answer", "refused"})
#: How many of the latest attempts are looked at.
RECENT_ATTEMPTS = 3
#: How many failed attempts in a row raise the flag.
MIN_FAILED = 2


def failed_streak(contacts: Sequence[Mapping[str, Any]],
                  recent: int = RECENT_ATTEMPTS) -> tuple[int, str | None]:
    """Return (failed attempts in a row among the latest ``recent``, date of the latest).

    The streak is 0 when the latest attempt reached the actor; the count stops
    at ``recent``.
    """
    latest = sorted(contacts, key=lambda c: str(c.get("date") or ""), reverse=True)[:recent]
    streak = 0
    for c in latest:
        if c.get("outcome") not in FAILED_OUTCOMES:
            break
        streak += 1
    return streak, (str(latest[0].get("date") or "")[:10] or None) if latest else None


def last_reached(contacts: Sequence[Mapping[str, Any]]) -> str | None:
    """Return the date of the latest contact that reached the actor (None when never)."""
    days = [str(c.get("date") or "")[:10] for c in contacts
            if c.get("outcome") not in FAILED_OUTCOMES and c.get("date")]
    return max(days) if days else None


def unanswered(actors: Sequence[Mapping[str, Any]], contacts: Sequence[Mapping[str, Any]],
               recent: int = RECENT_ATTEMPTS, min_failed: int = MIN_FAILED) -> dict[str, Any]:
    """Return the actors with an active status whose latest attempts all failed.

    Returns
    -------
    dict
        ``items`` (``id, name, status, failed, last_attempt, last_reached``, most
        failed first), ``ids`` and a three-language ``sentence``.
    """
    by_actor: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for c in contacts:
        by_actor[str(c.get("actor_id"))].append(c)
    items: list[dict[str, Any]] = []
    for actor in actors:
        if actor.get("status") not in ACTIVE_STATUSES:
            continue
        log = by_actor.get(str(actor.get("id")), [])
        streak, last = failed_streak(log, recent)
        if streak >= min_failed and streak == min(recent, len(log)):
            items.append({"id": actor.get("id"), "name": name_of(actor),
                          "status": actor.get("status"), "failed": streak,
                          "last_attempt": last, "last_reached": last_reached(log)})
    items.sort(key=lambda i: (-i["failed"], i["last_attempt"] or "", i["name"].casefold()))
    return {"items": items, "ids": [str(i["id"]) for i in items],
            "sentence": _sentence(items)}


def _sentence(items: list[dict[str, Any]]) -> Text:
    if not items:
        return texts("insights.unanswered.none")
    head = counted("insights.unanswered.sentence", len(items))
    return {lg: head[lg] + " " + join_names([i["name"] for i in items], lg) + "."
            for lg in LANGS}
