"""Compare xlkp/reorganisations.csv with CBS open data and print the table it proposes, as a diff.

For maintainers, where a network is available; xlkp never runs this. It reads, per year, the
municipalities and their arbeidsmarktregio from the CBS StatLine tables *Gebieden in Nederland
<jaar>* (OData v3, https://opendata.cbs.nl), which describe the indeling on 1 January of that year:

- a municipality that vanished between two years without a row in the table, or one that appeared
  without being a successor, gets a proposed row with '?' where a person must fill in;
- a row whose names CBS does not know in the year before / the year of the change is reported;
- region_before / region_after are set to what CBS gives (regions_verified becomes 'ja').

Nothing is written: the output is a unified diff (current -> proposed) and a list of remarks.
Apply what is right by hand, then run `pytest tests/test_reorganisations.py`.

    python scripts/refresh_reorganisations.py [--first-year 2016]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import sys
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlkp.regions import canonical_region, normalise  # noqa: E402
from xlkp.reorganisations import COLUMNS, Reorganisations  # noqa: E402

TABLE = ROOT / "xlkp" / "reorganisations.csv"
CATALOG = "https://opendata.cbs.nl/ODataCatalog/Tables"
API = "https://opendata.cbs.nl/ODataApi/odata"
TITLE = "Gebieden in Nederland"


def get(url: str, **query: str) -> list[dict]:
    query["$format"] = "json"
    with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(query)}", timeout=60) as answer:
        return json.load(answer)["value"]


def tables_per_year() -> dict[int, str]:
    """{2022: '85067NED', ...}: the Dutch 'Gebieden in Nederland <jaar>' tables in the catalog."""
    found = {}
    for table in get(CATALOG, **{"$filter": f"substringof('{TITLE}',Title)", "$select": "Identifier,Title"}):
        year = table["Title"].removeprefix(TITLE).strip()
        if year.isdigit() and table["Identifier"].upper().endswith("NED"):
            found[int(year)] = table["Identifier"]
    return found


def municipalities(identifier: str) -> dict[str, tuple[str, str]]:
    """{normalised name: (name as CBS writes it, arbeidsmarktregio)} on 1 January of the table's year."""
    properties = get(f"{API}/{identifier}/DataProperties")
    groups = {p["ID"]: p["Title"] for p in properties if p["Type"] == "TopicGroup"}
    region_key = next(
        p["Key"] for p in properties
        if p.get("ParentID") in groups and groups[p["ParentID"]].startswith("Arbeidsmarktregio")
        and p["Title"].startswith("Naam")
    )
    names = {r["Key"]: r["Title"].strip() for r in get(f"{API}/{identifier}/RegioS")}
    result = {}
    for row in get(f"{API}/{identifier}/TypedDataSet", **{"$select": f"RegioS,{region_key}"}):
        key = row["RegioS"].strip()
        if key.startswith("GM"):
            region = (row[region_key] or "").strip()
            name = names.get(row["RegioS"], names.get(key, key))
            result[normalise(name)] = (name, canonical_region(region) or region)
    return result


def propose(rows: list[dict], years: dict[int, dict[str, tuple[str, str]]]) -> tuple[list[dict], list[str]]:
    remarks: list[str] = []
    proposed = [dict(r) for r in rows]
    for year in sorted(years):
        before = years.get(year - 1)
        if before is None:
            continue
        after = years[year]
        # Changes between the two indelingen: after 1 January of the year before, up to this one.
        window = [r for r in proposed if date(year - 1, 1, 1) < date.fromisoformat(r["effective_date"]) <= date(year, 1, 1)]
        ended = {normalise(r["predecessor"]) for r in window if normalise(r["predecessor"]) != normalise(r["successor"])}
        successors = {normalise(r["successor"]) for r in window}
        for key in sorted(set(before) - set(after) - ended):
            name, region = before[key]
            remarks.append(f"{year}: CBS no longer lists {name}; the table has no row for it")
            proposed.append(dict(zip(COLUMNS, (f"{year}-01-01", name, "?", "whole", region, "?", "nee", "nee", "volgens CBS verdwenen; opvolger invullen"), strict=True)))
        for key in sorted(set(after) - set(before) - successors):
            name, region = after[key]
            remarks.append(f"{year}: CBS lists a new municipality {name}; the table has no row for it")
            proposed.append(dict(zip(COLUMNS, (f"{year}-01-01", "?", name, "whole", "?", region, "nee", "nee", "volgens CBS nieuw; voorgangers invullen"), strict=True)))
        for row in window:
            for column, side, regions in (("predecessor", "region_before", before), ("successor", "region_after", after)):
                known = regions.get(normalise(row[column]))
                if known is None:
                    remarks.append(f"{row['effective_date']}: CBS does not list {row[column]} in {year - 1 if side == 'region_before' else year}")
                elif known[1] and known[1] != row[side]:
                    remarks.append(f"{row['effective_date']} {row[column]}: {side} {row[side]} -> {known[1]} (CBS)")
                    row[side] = known[1]
            if all(regions.get(normalise(row[c])) for c, regions in (("predecessor", before), ("successor", after))):
                row["regions_verified"] = "ja"
    proposed.sort(key=lambda r: (r["effective_date"], r["successor"], r["predecessor"]))
    return proposed, remarks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-year", type=int, default=2016)
    args = parser.parse_args()
    text = TABLE.read_text(encoding="utf-8")
    Reorganisations.from_text(text)  # the current table must be valid to begin with
    header = [line for line in text.splitlines(keepends=True) if line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("".join(line for line in text.splitlines(keepends=True) if not line.startswith("#")))))
    identifiers = {y: t for y, t in tables_per_year().items() if y >= args.first_year - 1}
    print(f"CBS tables: {', '.join(f'{y} {t}' for y, t in sorted(identifiers.items()))}", file=sys.stderr)
    years = {year: municipalities(identifier) for year, identifier in identifiers.items()}
    proposed, remarks = propose(rows, years)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(proposed)
    new_text = "".join(header) + out.getvalue()
    sys.stdout.writelines(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True), str(TABLE), "proposed"))
    for remark in remarks:
        print(remark, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
