"""Shared helpers of the insights: relation rules, names and three-language text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from buurtkaart.core.categories import label_or_key
from buurtkaart.core.text import display_name

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


def located(actor: Mapping[str, Any]) -> bool:
    """Return True when the actor has coordinates."""
    return actor.get("lat") is not None and actor.get("lon") is not None


def name_of(actor: Mapping[str, Any]) -> str:
    """Return the actor's display name."""
    return str(display_name(actor.get("name"), fallback=str(actor.get("id") or "?")))


def category_label(key: str | None, lang: str = "nl") -> str:
    """Return the label of a place category (the key itself when unknown)."""
    if not key:
        return {"nl": "zonder categorie", "fr": "sans catégorie", "en": "uncategorised"}[lang]
    return label_or_key(key, lang)


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
