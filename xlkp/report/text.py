"""A plain-text account of what was read, for the terminal."""

from __future__ import annotations

from ..model import ERROR, Finding, Publication
from ..numbers import counted, format_count, format_percent

SEVERITY_WORDS = {"error": "fout", "warning": "waarschuwing"}


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
        for t in publication.national:
            total = t.total.total if t.total else None
            register = t.total.register if t.total and t.total.register is not None else t.register
            pages = ", ".join(map(str, t.pages))
            lines.append(
                f"  {t.period}  {'Landelijke tabel':<36} p. {pages:<6} {len(t.rows):>3} regio's     "
                f"totaal {format_count(total):>7}  register {format_count(register):>7}"
            )
    if findings:
        errors = sum(f.severity == ERROR for f in findings)
        lines.append(
            counted(len(findings), "bevinding", "bevindingen")
            + f" ({counted(errors, 'fout', 'fouten')}, "
            + f"{counted(len(findings) - errors, 'waarschuwing', 'waarschuwingen')}):"
        )
        lines.extend(
            f"  [{SEVERITY_WORDS.get(f.severity, f.severity)}: {f.kind}] {f.period}"
            f"{' ' + f.region if f.region else ''}: {f.message}"
            for f in findings
        )
    else:
        lines.append("Geen bevindingen: alle totalen kloppen.")
    return "\n".join(lines) + "\n"
