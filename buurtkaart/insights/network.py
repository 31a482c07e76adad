"""The actor network: the organisation, its relations and the actor-to-actor links.

Nodes are the organisation (:data:`ORG`) and every actor. Edges join the
organisation to each actor it has a tie with (strength >= 1) and two actors
linked with strength >= 1. Betweenness is networkx's normalised, unweighted
betweenness centrality.

Bridge candidates are actors that are

- the **only path** to a group: removing the actor cuts at least one other
  actor off from the organisation (the group is listed); or
- of **high betweenness**: at least :data:`HIGH_BETWEENNESS` and at least
  twice the mean betweenness of the actors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from buurtkaart.i18n import LANGS
from buurtkaart.insights._common import (
    Text,
    counted,
    has_tie,
    join_names,
    name_of,
    strength,
    texts,
)

ORG = "__organisation__"
HIGH_BETWEENNESS = 0.1


def build_graph(actors: Sequence[Mapping[str, Any]], links: Sequence[Mapping[str, Any]],
                org_name: str = "") -> nx.Graph:
    """Return the network as an undirected graph (node/edge attributes ``name``, ``strength``)."""
    graph = nx.Graph()
    graph.add_node(ORG, name=org_name or "organisation", kind="org")
    for actor in actors:
        key = str(actor.get("id"))
        graph.add_node(key, name=name_of(actor), kind="actor", roles=list(actor.get("roles") or []),
                       strength=strength(actor), category=actor.get("category"))
        if has_tie(actor):
            graph.add_edge(ORG, key, strength=strength(actor), type="relation")
    for link in links:
        a, b = str(link.get("from_id")), str(link.get("to_id"))
        raw = link.get("strength")
        s = 1 if raw is None else int(raw)
        if a in graph and b in graph and a != b and s >= 1:
            graph.add_edge(a, b, strength=s, type=str(link.get("type") or "knows"))
    return graph


def cut_off_by(graph: nx.Graph, node: str) -> set[str]:
    """Return the actors that lose every path to the organisation when ``node`` is removed."""
    before = nx.node_connected_component(graph, ORG)
    if node not in before or node == ORG:
        return set()
    rest = graph.subgraph(n for n in graph if n != node)
    after = nx.node_connected_component(rest, ORG)
    return before - after - {node}


def network(actors: Sequence[Mapping[str, Any]], links: Sequence[Mapping[str, Any]],
            org_name: str = "") -> dict[str, Any]:
    """Return degree, betweenness, bridge candidates and unreached actors.

    Returns
    -------
    dict
        ``nodes`` (per actor: id, name, degree, betweenness), ``bridges``,
        ``unreached`` (actors with no path to the organisation), ``edges``
        and a ``sentence``.
    """
    graph = build_graph(actors, links, org_name)
    between = nx.betweenness_centrality(graph) if graph.number_of_nodes() > 2 else {}
    actor_ids = [n for n in graph if n != ORG]
    nodes = [{"id": n, "name": graph.nodes[n]["name"], "degree": graph.degree(n),
              "betweenness": round(between.get(n, 0.0), 4),
              "strength": graph.nodes[n]["strength"]} for n in actor_ids]
    reach = nx.node_connected_component(graph, ORG)
    unreached = [{"id": n, "name": graph.nodes[n]["name"]} for n in actor_ids if n not in reach]
    bridges = _bridges(graph, between, actor_ids)
    edges = [{"from": a, "to": b, "strength": d.get("strength", 1), "type": d.get("type")}
             for a, b, d in graph.edges(data=True)]
    return {"nodes": nodes, "edges": edges, "bridges": bridges, "unreached": unreached,
            "sentence": _sentence(bridges, len(unreached))}


def _bridges(graph: nx.Graph, between: dict[str, float],
             actor_ids: list[str]) -> list[dict[str, Any]]:
    mean = sum(between.get(n, 0.0) for n in actor_ids) / len(actor_ids) if actor_ids else 0.0
    out = []
    for n in actor_ids:
        group = sorted(cut_off_by(graph, n), key=lambda g: graph.nodes[g]["name"].casefold())
        b = between.get(n, 0.0)
        high = b >= HIGH_BETWEENNESS and b >= 2 * mean
        if not group and not high:
            continue
        reasons = (["only_path"] if group else []) + (["high_betweenness"] if high else [])
        out.append({"id": n, "name": graph.nodes[n]["name"], "roles": graph.nodes[n]["roles"],
                    "betweenness": round(b, 4), "degree": graph.degree(n), "reasons": reasons,
                    "only_path_to": [graph.nodes[g]["name"] for g in group],
                    "only_path_to_ids": group})
    out.sort(key=lambda r: (-len(r["only_path_to"]), -r["betweenness"], r["name"].casefold()))
    return out


def _sentence(bridges: list[dict[str, Any]], unreached: int) -> Text:
    lost = (counted("insights.network.unreached", unreached) if unreached
            else dict.fromkeys(LANGS, ""))
    only = [b for b in bridges if b["only_path_to"]]
    if not only:
        return texts("insights.network.no_bridge", lost=lost)
    top = only[0]
    names = {lg: join_names(top["only_path_to"], lg) for lg in LANGS}
    return texts("insights.network.bridge", name=top["name"], names=names, lost=lost)
