"""Insights of a map: who are we missing, are we an island, how far do we reach on foot.

Pure functions on store records (plain dicts) and places:

- :func:`~buurtkaart.insights.counts.counts` per role, category, strength, status, leaning;
- :func:`~buurtkaart.insights.coverage.coverage` per place category;
- :func:`~buurtkaart.insights.island.island_score` (definition in that module);
- :func:`~buurtkaart.insights.neglected.neglected` ties;
- :func:`~buurtkaart.insights.network.network` (degree, betweenness, bridge figures);
- :func:`~buurtkaart.insights.distance.distance` of the relations.

:func:`build_report` combines them (JSON shape in ``docs/insights.md``);
:func:`render_markdown` makes a memo; charts live in :mod:`.charts`, the app
page in :mod:`.ui`.
"""

from __future__ import annotations

from buurtkaart.insights.counts import counts
from buurtkaart.insights.coverage import coverage, untied_categories
from buurtkaart.insights.distance import distance
from buurtkaart.insights.island import island_score
from buurtkaart.insights.markdown import render_markdown
from buurtkaart.insights.neglected import neglected
from buurtkaart.insights.network import build_graph, network
from buurtkaart.insights.report import MapData, build_report, load_map_data, safe_walking

__all__ = [
    "MapData", "build_graph", "build_report", "counts", "coverage", "distance", "island_score",
    "load_map_data", "neglected", "network", "render_markdown", "safe_walking",
    "untied_categories",
]
