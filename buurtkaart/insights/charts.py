"""Altair charts of a report (one per insight), labelled in nl, fr or en.

Tooltips carry user text (actor names); Vega's tooltip handler shows it as
text, not HTML.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import networkx as nx
import pandas as pd

from buurtkaart.i18n import label, t
from buurtkaart.insights.coverage import split_groups
from buurtkaart.insights.network import ORG

#: Bars per category of the coverage chart (catalog keys ``chart.<measure>``).
COVERAGE_MEASURES = ("places", "with_tie", "active_regular")


def island_chart(report: dict[str, Any], lang: str = "nl") -> alt.Chart:
    """Return two bars: the two shares behind the island score (0-100 %)."""
    isl = report["island_score"]
    rows = [{"part": t("chart.cat_share", lang), "share": isl["category_share"] or 0.0},
            {"part": t("chart.reach_share", lang), "share": isl["reach_share"] or 0.0}]
    return alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("share:Q", title=t("chart.share", lang), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        y=alt.Y("part:N", title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=["part:N", alt.Tooltip("share:Q", format=".0%")],
    ).properties(height=alt.Step(36))


def count_axis(title: str) -> alt.Axis:
    """Return an axis for counts: whole numbers only (no 0.1, 0.2 ... ticks)."""
    return alt.Axis(title=title, tickMinStep=1, format="d")


def _coverage_part(rows: list[dict[str, Any]], title: str, lang: str) -> alt.LayerChart:
    frame = pd.DataFrame(rows, columns=["category", "measure", "count", "order"])
    order = list(dict.fromkeys(frame["category"]))
    base = alt.Chart(frame, title=alt.TitleParams(title, anchor="start", fontSize=13)).encode(
        y=alt.Y("category:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        x=alt.X("count:Q", axis=count_axis(t("chart.count", lang))),
        yOffset=alt.YOffset("measure:N", sort=[t(f"chart.{k}", lang)
                                               for k in COVERAGE_MEASURES]),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="top"),
                        sort=[t(f"chart.{k}", lang) for k in COVERAGE_MEASURES]),
        tooltip=["category:N", "measure:N", "count:Q"])
    bars = base.mark_bar()
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        text="count:Q")
    return alt.LayerChart(layer=[bars, labels]).properties(height=alt.Step(12))


def coverage_charts(report: dict[str, Any], lang: str = "nl") -> list[alt.LayerChart]:
    """Return bars per category (places, actors with a tie, active regular ties), biggest
    gap first, with the counts as labels: one chart (own scale) for institutions, one for
    shops, horeca and public space, so these do not flatten the small categories.
    """
    charts = []
    for group, rows in split_groups(report["coverage"]["categories"]).items():
        if not rows:
            continue
        data = [{"category": r["label"][lang], "measure": t(f"chart.{key}", lang),
                 "count": r[key], "order": i}
                for i, r in enumerate(rows) for key in COVERAGE_MEASURES]
        charts.append(_coverage_part(data, t(f"chart.group_{group}", lang), lang))
    return charts


def counts_chart(report: dict[str, Any], field: str = "by_role",
                 lang: str = "nl") -> alt.LayerChart:
    """Return a bar chart of one count (``by_role``, ``by_status``, ``by_strength``...)."""
    kinds = {"by_role": "role", "by_status": "status", "by_leaning": "leaning",
             "by_kind": "kind", "by_strength": "strength"}
    kind = kinds.get(field)
    rows = []
    for key, n in report["counts"].get(field, {}).items():
        k: Any = int(key) if field == "by_strength" else key
        rows.append({"value": label(kind, k, lang) if kind else key, "count": n})
    frame = pd.DataFrame(rows, columns=["value", "count"])
    base = alt.Chart(frame).encode(
        x=alt.X("count:Q", axis=count_axis(t("chart.count", lang))),
        y=alt.Y("value:N", title=None, sort="-x"),
        tooltip=["value:N", "count:Q"])
    return alt.LayerChart(layer=[base.mark_bar(), base.mark_text(
        align="left", dx=3, fontSize=11).encode(text="count:Q")])


def distance_chart(report: dict[str, Any], lang: str = "nl") -> alt.Chart:
    """Return stacked bars: ties per distance band, coloured by strength."""
    rows = []
    order = [b["band"] for b in report["distance"]["bands"]]
    for band in report["distance"]["bands"]:
        for s in ("1", "2", "3"):
            rows.append({"band": band["band"], "count": band[s],
                         "strength": label("strength", int(s), lang)})
    frame = pd.DataFrame(rows, columns=["band", "count", "strength"])
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("band:N", title=t("chart.band", lang), sort=order),
        y=alt.Y("count:Q", axis=count_axis(t("chart.count", lang)), stack="zero"),
        color=alt.Color("strength:N", title=t("chart.strength", lang)),
        tooltip=["band:N", "strength:N", "count:Q"],
    )


def network_layout(report: dict[str, Any], seed: int = 7) -> dict[str, tuple[float, float]]:
    """Return node id -> (x, y) from a seeded spring layout (stable between reruns)."""
    graph = nx.Graph()
    graph.add_node(ORG)
    graph.add_nodes_from(n["id"] for n in report["network"]["nodes"])
    graph.add_edges_from((e["from"], e["to"]) for e in report["network"]["edges"])
    pos = nx.spring_layout(graph, seed=seed)
    return {str(k): (float(v[0]), float(v[1])) for k, v in pos.items()}


def network_chart(report: dict[str, Any], lang: str = "nl") -> alt.LayerChart:
    """Return the network graph: edges as lines, nodes sized by betweenness, bridges marked."""
    pos = network_layout(report)
    bridges = {b["id"] for b in report["bridges"]["items"]}
    org_name = report["map"].get("org_name") or "●"
    nodes = [{"id": ORG, "name": org_name, "x": pos[ORG][0], "y": pos[ORG][1],
              "betweenness": 1.0, "kind": "org"}]
    for n in report["network"]["nodes"]:
        kind = "bridge" if n["id"] in bridges else f"s{n['strength']}"
        nodes.append({"id": n["id"], "name": n["name"], "x": pos[n["id"]][0],
                      "y": pos[n["id"]][1], "betweenness": n["betweenness"], "kind": kind})
    edges = [{"x": pos[e["from"]][0], "y": pos[e["from"]][1], "x2": pos[e["to"]][0],
              "y2": pos[e["to"]][1], "strength": e["strength"]}
             for e in report["network"]["edges"]]
    edge_frame = pd.DataFrame(edges, columns=["x", "y", "x2", "y2", "strength"])
    node_frame = pd.DataFrame(nodes)
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    lines = alt.Chart(edge_frame).mark_rule(color="#999").encode(
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("strength:Q", legend=None, scale=alt.Scale(range=[1, 4])))
    kinds = ["org", "bridge", "s3", "s2", "s1", "s0"]
    colours = ["#222222", "#d7301f", "#1a9850", "#91cf60", "#d9ef8b", "#bbbbbb"]
    dots = alt.Chart(node_frame).mark_circle(opacity=0.9, stroke="white").encode(
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis),
        size=alt.Size("betweenness:Q", scale=alt.Scale(range=[60, 600]), legend=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=colours), legend=None),
        tooltip=[alt.Tooltip("name:N", title=t("chart.name", lang)),
                 alt.Tooltip("betweenness:Q", title=t("chart.betweenness", lang), format=".2f")])
    labels = alt.Chart(node_frame).mark_text(dy=-14, fontSize=11, color="#333333").encode(
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), text="name:N")
    return alt.LayerChart(layer=[lines, dots, labels], height=420)
