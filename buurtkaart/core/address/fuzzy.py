"""Fast typo matching (pure): rapidfuzz ``ratio`` on a pre-filtered list of names.

A full rapidfuzz scan of the ~13,000 street keys of the Brussels region costs
5-10 ms, and a miss runs several scans. :class:`Prepared` keeps, for every
name, its length and its letter counts; the Indel distance behind
``fuzz.ratio`` is at least the L1 distance of the letter counts, so
``100 * (1 - L1 / (len_a + len_b))`` bounds the score from above. Names whose
bound is below the cutoff cannot match and are never scored; for the top-N
without a cutoff, names are scored best bound first until no bound can beat the
N-th score. Both give exactly the answers of a full scan (same names, same
scores, ties in list order).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process

#: letter -> bin: a-z, space, anything else
_BINS = np.full(128, 27, dtype=np.intp)
_BINS[ord("a"):ord("z") + 1] = np.arange(26)
_BINS[ord(" ")] = 26
_NBINS = 28
#: the top-N search first scores this many names per asked name, best bound first
_PROBE = 12
_EPS = 1e-6
Hit = tuple[str, float, int]


def _counts(text: str) -> np.ndarray:
    codes = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)
    return np.bincount(_BINS[np.minimum(codes, 127)], minlength=_NBINS).astype(np.int16)


class Prepared:
    """Names ready for fast typo matching (picklable), kept sorted by length."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(names)
        lengths = np.array([len(n) for n in self.names], dtype=np.int32)
        #: positions in ``names``, shortest first (stable)
        self.order = np.argsort(lengths, kind="stable")
        self.lengths = lengths[self.order]
        counts = (np.stack([_counts(self.names[i]) for i in self.order]) if self.names
                  else np.zeros((0, _NBINS), dtype=np.int16))
        self.bins = np.ascontiguousarray(counts.T)  # one row per letter bin

    def __len__(self) -> int:
        return len(self.names)

    def _window(self, size: int, cutoff: float) -> tuple[int, int]:
        """Return the slice of lengths a name needs to reach ``cutoff`` against ``size``."""
        if cutoff <= 0 or size == 0:
            return 0, len(self.names)
        low = size * cutoff / (200.0 - cutoff) - _EPS
        high = size * (200.0 - cutoff) / cutoff + _EPS
        return (int(np.searchsorted(self.lengths, low, "left")),
                int(np.searchsorted(self.lengths, high, "right")))

    def bounds(self, query: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Return an upper bound of ``fuzz.ratio(query, name)`` per name (length order)."""
        stop = len(self.names) if stop is None else stop
        wanted = _counts(query)
        l1 = np.zeros(stop - start, dtype=np.int16)
        for row, count in zip(self.bins[:, start:stop], wanted, strict=True):
            l1 += np.abs(row - count)
        total = (self.lengths[start:stop] + len(query)).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, 100.0 * (1.0 - l1 / total), 100.0)

    def _scored(self, query: str, where: np.ndarray, limit: int, cutoff: float) -> list[Hit]:
        """Score the names at positions ``where``: best first, ties in list order."""
        keep = np.sort(where)
        hits = process.extract(query, [self.names[i] for i in keep], scorer=fuzz.ratio,
                               limit=None, score_cutoff=cutoff or None)
        out = [(str(name), float(score), int(keep[pos])) for name, score, pos in hits]
        out.sort(key=lambda h: (-h[1], h[2]))
        return out[:limit]

    def extract(self, query: str, limit: int, cutoff: float = 0.0) -> list[Hit]:
        """Return the ``limit`` best ``(name, score, position)``, as ``process.extract``.

        With ``cutoff`` only names scoring at least ``cutoff``.
        """
        if not self.names or limit <= 0:
            return []
        start, stop = self._window(len(query), cutoff)
        bound = self.bounds(query, start, stop)
        if cutoff > 0:
            inside = np.flatnonzero(bound >= cutoff - _EPS) + start
            return self._scored(query, self.order[inside], limit, cutoff)
        probe = min(len(bound), limit * _PROBE)
        first = np.argpartition(-bound, probe - 1)[:probe]
        hits = self._scored(query, self.order[first], limit, 0.0)
        floor = hits[-1][1] if len(hits) >= limit else 0.0
        rest = np.flatnonzero(bound >= floor - _EPS)
        if floor <= 0 or len(rest) > len(self.names) // 2:  # a weak bound: scan them all
            return self._scored(query, np.arange(len(self.names)), limit, 0.0)
        return self._scored(query, self.order[rest], limit, max(floor - 0.5, _EPS))


def prepared(cache: dict[str, Prepared], name: str, names: Iterable[str]) -> Prepared:
    """Return the :class:`Prepared` list ``name`` of ``cache``, (re)built when stale."""
    keys = list(names)
    found = cache.get(name)
    if found is None or len(found) != len(keys) or found.names != keys:
        found = cache[name] = Prepared(keys)
    return found
