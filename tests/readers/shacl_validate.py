"""Validates a Turtle graph against SHACL shapes with pyshacl.

Usage: shacl_validate.py GRAPH.ttl SHAPES.ttl [EXTRA.ttl...]

The extra files are added to the data graph (a test's deliberate faults).
Prints pyshacl's report; exits 0 when the graph conforms, 1 when not.
"""
import sys

from pyshacl import validate
from rdflib import Graph

data = Graph()
data.parse(sys.argv[1], format="turtle")
for extra in sys.argv[3:]:
    data.parse(extra, format="turtle")
shapes = Graph()
shapes.parse(sys.argv[2], format="turtle")
conforms, _, report = validate(data, shacl_graph=shapes, inference="none", advanced=True)
print(report)
sys.exit(0 if conforms else 1)
