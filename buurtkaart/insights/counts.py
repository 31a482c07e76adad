"""Counts of the map's actors per role, category, strength, status, leaning and kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from buurtkaart.core import vocab
from buurtkaart.i18n import label
from buurtkaart.insights._common import Text, counted, strength, texts

FIELDS = ("role", "category", "strength", "status", "leaning", "kind")


def counts(actors: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Return ``{"total", "by_role", "by_category", ..., "sentence"}``.

    Roles are multi-valued: an actor with two roles counts in both. Missing
    values count under ``"none"``. Strength keys are strings ``"0"``..``"3"``
    (JSON object keys).
    """
    out: dict[str, Any] = {"total": len(actors)}
    roles: Counter[str] = Counter()
    for actor in actors:
        roles.update(actor.get("roles") or ["none"])
    out["by_role"] = dict(roles.most_common())
    out["by_category"] = _count(actors, "category")
    out["by_strength"] = {str(k): v for k, v in sorted(
        Counter(strength(a) for a in actors).items())}
    out["by_status"] = _count(actors, "status")
    out["by_leaning"] = _count(actors, "leaning")
    out["by_kind"] = _count(actors, "kind")
    out["sentence"] = _sentence(out)
    return out


def _count(actors: Sequence[Mapping[str, Any]], key: str) -> dict[str, int]:
    return dict(Counter(str(a.get(key) or "none") for a in actors).most_common())


def _sentence(out: dict[str, Any]) -> Text:
    total = out["total"]
    if total == 0:
        return texts("insights.counts.none")
    coop = out["by_status"].get("cooperating", 0)
    figures = sum(out["by_role"].get(r, 0) for r in ("sleutelfiguur", "brugfiguur"))
    labels = {lg: label("status", "cooperating", lg).lower() for lg in vocab.LANGS}
    return texts("insights.counts.sentence", actors=counted("count.actors", total), coop=coop,
                 cooperating=labels, figures=figures)
