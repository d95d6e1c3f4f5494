"""Answers a SPARQL query with rdflib over N-Quads read as a set union.

Usage: rdflib_answers.py GRAPH.nq QUERY.rq... > answers.json

Prints, for each query file, its rows as a JSON list of lists of strings
(each term's lexical form, "" for an unbound variable) in the order rdflib
gives them, as one JSON object keyed by the query's path; the prefixes
Stratagraph predeclares are added to each query. The N-Quads are read once. Used by
tests/store.rs to check that the default graph Stratagraph queries is the
set union rdflib reads.
"""

import json
import sys

from rdflib import Dataset

PREFIXES = {
    "sg": "https://w3id.org/stratagraph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def answer(ds: Dataset, query_path: str) -> list:
    with open(query_path, encoding="utf-8") as f:
        query = f.read()
    head = "".join(
        f"PREFIX {p}: <{iri}>\n"
        for p, iri in PREFIXES.items()
        if f"PREFIX {p}:" not in query
    )
    result = ds.query(head + query)
    if result.type == "ASK":
        rows = [[str(bool(result.askAnswer)).lower()]]
    elif result.type == "SELECT":
        rows = [[("" if v is None else str(v)) for v in row] for row in result]
    else:
        rows = sorted([[str(t) for t in triple] for triple in result])
    return rows


def main() -> None:
    ds = Dataset(default_union=True)
    ds.parse(sys.argv[1], format="nquads")
    json.dump({q: answer(ds, q) for q in sys.argv[2:]}, sys.stdout)


if __name__ == "__main__":
    main()
