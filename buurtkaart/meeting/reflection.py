"""Domain reflection after the method's "inclusietracker": scores over time, what moved.

A reflection record is ``id, map_id, meeting_id, date, domain, factor, score (1-4),
dimension (cultuur|beleid|praktijk|None), note``; domains and factors are the
keys of :data:`buurtkaart.core.vocab.FACTORS`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.i18n import label, t

SCORE_MIN, SCORE_MAX = 1, 4

#: Scores of the reflection; labels are the catalog keys ``score.<n>``.
SCORES = vocab.SCORES

Key = tuple[str, str, str | None]  # domain, factor, dimension


def validate_reflection(rec: dict[str, Any]) -> dict[str, Any]:
    """Check one reflection score; return a cleaned copy.

    Raises
    ------
    InputError
        Unknown domain, factor or dimension; score outside 1-4; bad date.
    """
    out = dict(rec)
    domain, factor = out.get("domain"), out.get("factor")
    if domain not in vocab.FACTORS:
        msg = f"reflection domain {domain!r} is unknown; expected one of {', '.join(vocab.FACTORS)}"
        raise InputError(msg)
    if factor not in vocab.FACTORS[domain]:
        msg = (f"reflection factor {factor!r} is not a factor of domain {domain!r}; "
               f"expected one of {', '.join(vocab.FACTORS[domain])}")
        raise InputError(msg)
    raw = out.get("score")
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError) as e:
        msg = f"reflection score {raw!r} for {domain}/{factor} is not a number"
        raise InputError(msg) from e
    if not value.is_integer() or not SCORE_MIN <= value <= SCORE_MAX:
        msg = (f"reflection score {raw!r} for {domain}/{factor} must be a "
               f"whole number from {SCORE_MIN} to {SCORE_MAX}")
        raise InputError(msg)
    score = int(value)
    out["score"] = score
    dim = out.get("dimension") or None
    if dim is not None and dim not in vocab.DIMENSIONS:
        msg = (f"reflection dimension {dim!r} is unknown; expected one of "
               f"{', '.join(vocab.DIMENSIONS)} or none")
        raise InputError(msg)
    out["dimension"] = dim
    try:
        out["date"] = dt.date.fromisoformat(str(out.get("date", ""))[:10]).isoformat()
    except ValueError as e:
        msg = f"reflection date {out.get('date')!r} is not a YYYY-MM-DD date"
        raise InputError(msg) from e
    return out


def _key(rec: Mapping[str, Any]) -> Key:
    return rec["domain"], rec["factor"], rec.get("dimension") or None


def factor_history(reflections: Iterable[Mapping[str, Any]]) -> dict[Key, list[tuple[str, float]]]:
    """Return ``(domain, factor, dimension) -> [(date, score), ...]`` in date order.

    Several scores of the same factor on the same date are averaged.
    """
    by_day: dict[Key, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for rec in reflections:
        by_day[_key(rec)][str(rec["date"])[:10]].append(int(rec["score"]))
    return {k: sorted((d, fmean(v)) for d, v in days.items()) for k, days in by_day.items()}


def domain_series(reflections: Iterable[Mapping[str, Any]]) -> dict[str, list[tuple[str, float]]]:
    """Return ``domain -> [(date, mean score of its factors that date), ...]``."""
    by_day: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for rec in reflections:
        by_day[rec["domain"]][str(rec["date"])[:10]].append(int(rec["score"]))
    return {d: sorted((day, fmean(v)) for day, v in days.items())
            for d, days in by_day.items()}


@dataclass(frozen=True)
class Movement:
    """A factor whose latest score differs from the score before it."""

    domain: str
    factor: str
    dimension: str | None
    before: float
    after: float
    before_date: str
    after_date: str

    @property
    def delta(self) -> float:
        """``after - before`` (positive = improved)."""
        return self.after - self.before

    def label(self, lang: str = "nl") -> str:
        """Return e.g. ``"Organisatie – Visie: 2 → 3"``."""
        domain = label("domain", self.domain, lang)
        factor = t(f"factor.{self.domain}.{self.factor}", lang)
        dim = f" ({label('dimension', self.dimension, lang)})" if self.dimension else ""
        return f"{domain} – {factor}{dim}: {_fmt(self.before)} → {_fmt(self.after)}"


def _fmt(score: float) -> str:
    return str(int(score)) if float(score).is_integer() else f"{score:.1f}"


def moved_since(reflections: Iterable[Mapping[str, Any]],
                since: str | None = None) -> list[Movement]:
    """Return the factors whose score moved, largest change first.

    Parameters
    ----------
    reflections : iterable of dict
        Reflection records.
    since : str, optional
        ISO date of the previous meeting: compare the latest score with the
        latest score on or before that date. Without it, compare each factor's
        last two scored dates.
    """
    out: list[Movement] = []
    for (domain, factor, dim), series in factor_history(reflections).items():
        if since is None:
            if len(series) < 2:
                continue
            (d0, s0), (d1, s1) = series[-2], series[-1]
        else:
            before = [p for p in series if p[0] <= since[:10]]
            after = [p for p in series if p[0] > since[:10]]
            if not before or not after:
                continue
            (d0, s0), (d1, s1) = before[-1], after[-1]
        if s0 != s1:
            out.append(Movement(domain, factor, dim, s0, s1, d0, d1))
    out.sort(key=lambda m: (-abs(m.delta), m.domain, m.factor))
    return out


def latest_scores(reflections: Iterable[Mapping[str, Any]]) -> dict[Key, tuple[str, float]]:
    """Return the latest ``(date, score)`` per factor (and dimension)."""
    return {k: v[-1] for k, v in factor_history(reflections).items()}
