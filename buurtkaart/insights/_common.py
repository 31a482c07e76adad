"""Shared helpers of the insights: relation rules, dates, distances, three-language text."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from buurtkaart.core.categories import category_label as label

#: Statuses in which a relation is alive (not to be made, not paused, not in conflict).
ACTIVE_STATUSES = frozenset({"in_conversation", "cooperating"})
#: Strength from which a tie counts as "regular" (2) and "strong" (3).
REGULAR, STRONG = 2, 3

Text = dict[str, str]  # lang -> sentence


def strength(actor: Mapping[str, Any]) -> int:
    """Return the organisation's relation strength with an actor (0 when unknown)."""
    try:
        return int(actor.get("strength") or 0)
    except (TypeError, ValueError):
        return 0


def has_tie(actor: Mapping[str, Any]) -> bool:
    """Return True when the organisation has a tie (strength >= 1) with the actor."""
    return strength(actor) >= 1


def is_active(actor: Mapping[str, Any], min_strength: int = 1) -> bool:
    """Return True for a tie of at least ``min_strength`` with an active status."""
    return strength(actor) >= min_strength and actor.get("status") in ACTIVE_STATUSES


def months_between(earlier: date, later: date) -> int:
    """Return the number of whole months from ``earlier`` to ``later``."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(min(1.0, a)))


def located(actor: Mapping[str, Any]) -> bool:
    """Return True when the actor has coordinates."""
    return actor.get("lat") is not None and actor.get("lon") is not None


def name_of(actor: Mapping[str, Any]) -> str:
    """Return the actor's display name."""
    return str(actor.get("name") or actor.get("id") or "?")


def category_label(key: str | None, lang: str = "nl") -> str:
    """Return the label of a place category (the key itself when unknown)."""
    if not key:
        return {"nl": "zonder categorie", "fr": "sans catégorie", "en": "uncategorised"}[lang]
    try:
        return label(key, lang)
    except Exception:  # unknown key or taxonomy absent: show the key
        return key


def tri(nl: str, fr: str, en: str) -> Text:
    """Return a sentence in the three languages."""
    return {"nl": nl, "fr": fr, "en": en}


def join_names(names: list[str], lang: str, limit: int = 4) -> str:
    """Return 'a, b en c' (or 'et'/'and'), with '+N' past ``limit``."""
    word = {"nl": "en", "fr": "et", "en": "and"}[lang]
    shown = names[:limit]
    rest = len(names) - len(shown)
    if rest > 0:
        more = {"nl": "anderen", "fr": "autres", "en": "others"}[lang]
        return ", ".join(shown) + f" {word} {rest} {more}"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {word} {shown[-1]}"
