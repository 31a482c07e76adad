"""The island score: are we an island, or rooted in the neighbourhood?

Definition
----------
``island_score = round(100 * (category_share + reach_share) / 2)``, from 0
(an island) to 100 (rooted), where

- ``category_share`` is the share of *relevant categories* (every category
  with at least one place in the area, except ``public_space``: squares,
  streets and parks are not partners) in which we have at least one active
  relation (status ``in_conversation`` or ``cooperating``) of strength 2 or
  more;
- ``reach_share`` is the share of the map's actors we actually reach: an
  active relation of strength 1 or more.

When one of the two shares cannot be computed (no places loaded, or no actors)
the score is the other share alone; with neither, it is ``None``.

In Dutch: "De eilandscore (0 = eiland, 100 = verankerd) is het gemiddelde van
het aandeel soorten plekken in de buurt waarmee we minstens één actieve band
van sterkte 2 of meer hebben, en het aandeel actoren op onze kaart dat we echt
bereiken."
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from buurtkaart.insights._common import REGULAR, Text, counted, is_active, texts

#: Categories that never count as relevant for the score.
NOT_RELEVANT = frozenset({"public_space"})

DEFINITION: Text = texts("insights.island.definition")


def island_score(coverage_rows: Sequence[Mapping[str, Any]],
                 actors: Sequence[Mapping[str, Any]],
                 unanswered_ids: Collection[str] = ()) -> dict[str, Any]:
    """Return the score with its parts, the categories behind it and a sentence.

    Parameters
    ----------
    coverage_rows : sequence of dict
        Output of :func:`buurtkaart.insights.coverage.coverage`.
    actors : sequence of dict
        The map's actors.
    unanswered_ids : collection of str
        Actors whose latest attempts all failed
        (:func:`buurtkaart.insights.unanswered.unanswered`): they still count as
        reached by their status, and the sentence says so.
    """
    relevant = [r for r in coverage_rows
                if r["places"] > 0 and r["category"] not in NOT_RELEVANT]
    tied = [r["category"] for r in relevant if r["active_regular"] > 0]
    reached = [a for a in actors if is_active(a, 1)]
    doubtful = [a for a in reached if str(a.get("id")) in set(unanswered_ids)]
    cat_share = len(tied) / len(relevant) if relevant else None
    reach_share = len(reached) / len(actors) if actors else None
    parts = [s for s in (cat_share, reach_share) if s is not None]
    score = round(100 * sum(parts) / len(parts)) if parts else None
    return {
        "score": score,
        "category_share": cat_share,
        "reach_share": reach_share,
        "relevant_categories": [r["category"] for r in relevant],
        "categories_with_regular_tie": tied,
        "categories_without": [r["category"] for r in relevant if r["active_regular"] == 0],
        "actors": len(actors),
        "actors_reached": len(reached),
        "actors_reached_unanswered": len(doubtful),
        "min_strength_for_category": REGULAR,
        "definition": DEFINITION,
        "sentence": _with_doubt(_sentence(score, len(tied), len(relevant), len(reached),
                                          len(actors)), len(doubtful)),
    }


def _with_doubt(sentence: Text, doubtful: int) -> Text:
    if not doubtful:
        return sentence
    note = counted("insights.island.unanswered", doubtful)
    return {lg: text + note[lg] for lg, text in sentence.items()}


def _sentence(score: int | None, tied: int, relevant: int, reached: int, total: int) -> Text:
    if score is None:
        return texts("insights.island.none")
    verdict = "rooted" if score >= 60 else "partly" if score >= 30 else "island"
    return texts("insights.island.sentence", score=score,
                 verdict=texts(f"insights.island.verdict_{verdict}"), tied=tied,
                 relevant=relevant, reached=reached, total=total)
