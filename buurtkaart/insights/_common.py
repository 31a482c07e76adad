"""Shared helpers of the insights: relation rules, names and three-language text.

Sentences come from the text catalog (keys ``insights.*``): :func:`texts` and
:func:`counted` return them in the three languages at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from buurtkaart.core.text import display_name
from buurtkaart.i18n import LANGS, label_or_key, t, tn

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
        return t("insights.uncategorised", lang)
    return label_or_key(key, lang)


def _pick(kw: Mapping[str, object], lang: str) -> dict[str, object]:
    return {k: (v[lang] if isinstance(v, dict) else v) for k, v in kw.items()}


def texts(key: str, **kw: object) -> Text:
    """Return catalog message ``key`` in the three languages.

    A keyword value that is itself a :data:`Text` (``lang -> str``) fills the
    placeholder with the text of the same language.
    """
    return {lg: t(key, lg, **_pick(kw, lg)) for lg in LANGS}


def counted(key: str, n: int, **kw: object) -> Text:
    """Return the plural form of ``key`` for ``n`` (see :func:`buurtkaart.i18n.tn`) per language."""
    return {lg: tn(key, lg, n, **_pick(kw, lg)) for lg in LANGS}


def join_names(names: list[str], lang: str, limit: int = 4) -> str:
    """Return 'a, b en c' (or 'et'/'and'), with '+N' past ``limit``."""
    word = t("common.and", lang)
    shown = names[:limit]
    rest = len(names) - len(shown)
    if rest > 0:
        more = t("common.others", lang)
        return ", ".join(shown) + f" {word} {rest} {more}"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {word} {shown[-1]}"
