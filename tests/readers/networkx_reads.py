"""Reads Stratagraph's GraphML, GEXF and node-link exports with NetworkX and
checks their node and edge counts and one node's attributes.

usage: networkx_reads.py DIR NODES EDGES [NODE_ID LABEL]
"""
import json
import sys

import networkx as nx

directory, nodes, edges = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
probe = sys.argv[4:6]

graphs = {
    "graphml": nx.read_graphml(f"{directory}/graph.graphml", force_multigraph=True),
    "gexf": nx.read_gexf(f"{directory}/graph.gexf"),
    "node-link": nx.node_link_graph(json.load(open(f"{directory}/graph.json", encoding="utf-8")), edges="edges"),
}
failed = False
for name, g in graphs.items():
    got = (g.number_of_nodes(), g.number_of_edges())
    if got != (nodes, edges):
        print(f"{name}: {got} nodes and edges, expected {(nodes, edges)}")
        failed = True
    if probe:
        node_id, label = probe
        if node_id not in g:
            print(f"{name}: no node {node_id!r}")
            failed = True
        elif g.nodes[node_id].get("label") != label:
            print(f"{name}: node {node_id!r} has label {g.nodes[node_id].get('label')!r}, expected {label!r}")
            failed = True
# GEXF carries each class's colour: every node has a viz colour.
uncoloured = [n for n, d in graphs["gexf"].nodes(data=True) if "color" not in d.get("viz", {})]
if uncoloured:
    print(f"gexf: nodes without viz:color: {uncoloured[:5]}")
    failed = True
sys.exit(1 if failed else 0)
