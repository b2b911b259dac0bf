"""A plain-text account of what was read, for the terminal."""

from __future__ import annotations

from ..counts import counted, format_count, format_percent
from ..model import ERROR, SAMPLE_MARK, Finding, Publication

SEVERITY_WORDS = {"error": "fout", "warning": "waarschuwing"}


def describe(publications: list[Publication], findings: list[Finding]) -> str:
    lines = []
    for publication in publications:
        lines.append(f"{publication.source}: {_contents(publication)}")
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
    return "\n".join(lines) + "\n" + describe_findings(findings)


def describe_findings(findings: list[Finding]) -> str:
    if not findings:
        return "Geen bevindingen: alle totalen kloppen.\n"
    errors = sum(f.severity == ERROR for f in findings)
    lines = [
        counted(len(findings), "bevinding", "bevindingen")
        + f" ({counted(errors, 'fout', 'fouten')}, "
        + f"{counted(len(findings) - errors, 'waarschuwing', 'waarschuwingen')}):"
    ]
    lines.extend(
        f"  [{SEVERITY_WORDS.get(f.severity, f.severity)}: {f.kind}] {f.period}"
        f"{' ' + f.region if f.region else ''}: {f.message}"
        for f in findings
    )
    return "\n".join(lines) + "\n"


def _contents(publication: Publication) -> str:
    """'35 regio's' for one quarter; '35 regio's in 2 kwartalen (70 regiotabellen)' for more."""
    sections = publication.sections
    regions = counted(len({s.name for s in sections}), "regio", "regio's")
    periods = publication.periods
    text = regions
    if len(periods) > 1 or len(sections) != len({s.name for s in sections}):
        text += (
            f" in {counted(len(periods), 'kwartaal', 'kwartalen')}"
            f" ({counted(len(sections), 'regiotabel', 'regiotabellen')})"
        )
    if publication.sample:
        text += f" — {SAMPLE_MARK}"
    return text
