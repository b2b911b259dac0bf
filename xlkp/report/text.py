"""A plain-text account of what was read, for the terminal."""

from __future__ import annotations

from ..model import Finding, Publication
from ..numbers import counted, format_count, format_percent


def describe(publications: list[Publication], findings: list[Finding]) -> str:
    lines = []
    for publication in publications:
        regions = counted(len(publication.sections), "regio", "regio's")
        lines.append(f"{publication.source}: {regions}")
        for s in publication.sections:
            total = s.region_total.total if s.region_total else None
            pages = ", ".join(map(str, s.pages))
            lines.append(
                f"  {s.period}  {s.name:<36} p. {pages:<6} {len(s.rows):>3} gemeenten  "
                f"totaal {format_count(total):>7}  register {format_count(s.register):>7}  "
                f"bekend {format_count(s.coverage_percent_printed)}% "
                f"(berekend {format_percent(s.coverage)})"
            )
    if findings:
        lines.append(counted(len(findings), "bevinding", "bevindingen") + ":")
        lines.extend(f"  [{f.kind}] {f.period} {f.region}: {f.message}" for f in findings)
    else:
        lines.append("Geen bevindingen: alle totalen kloppen.")
    return "\n".join(lines) + "\n"
