"""The import job: read every file, check, merge with the workbook's own data, write, rename.

Nothing is written until every file has been read and checked; the workbook is written to a
temporary file beside the target and renamed over it only when complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_sections
from .files import replacing
from .model import Finding, InputError, Publication, Section
from .numbers import counted
from .parse import read_publication
from .summary import category_labels

SUFFIXES = (".xlsx", ".xlsm")


class TargetError(Exception):
    """The target cannot be written; the message is one line for the user."""


@dataclass
class ImportResult:
    output: Path
    periods: list[str]
    regions: int
    municipalities: int
    findings: list[Finding]
    new_periods: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{counted(len(self.periods), 'kwartaal', 'kwartalen')} ({', '.join(self.periods)})",
            counted(self.regions, "regio", "regio's"),
            counted(self.municipalities, "gemeente", "gemeenten"),
            counted(len(self.findings), "bevinding", "bevindingen"),
        ]
        return f"{self.output}: {', '.join(parts)}"


class Progress:
    """Told of each page read and each sheet written. The CLI shows a bar."""

    def start(self, total: int) -> None: ...

    def grow(self, steps: int) -> None:
        """More steps than `start` knew of: a PDF's pages, once it is open."""

    def advance(self, steps: int = 1, what: str = "") -> None: ...

    def close(self) -> None: ...


def lock_file(target: Path) -> Path | None:
    """Excel's owner file (~$name) beside `target`, when the workbook is open in Excel."""
    for name in (f"~${target.name}", f"~${target.name[2:]}"):
        candidate = target.with_name(name)
        if candidate.exists():
            return candidate
    return None


def import_files(
    files: Sequence[str | Path],
    output: str | Path,
    *,
    engine: str = "pdfium",
    use_store: bool = True,
    progress: Progress | None = None,
) -> ImportResult:
    """Import `files` into the workbook `output` (created or updated). Raises InputError or TargetError."""
    from .report import layout

    progress = progress or Progress()
    target = _check_target(Path(output))
    progress.start(len(layout.SHEETS) + 2)  # merge read, sheets, save; pages are added as read

    def on_page(name: str):
        def page_read(page: int, pages: int) -> None:
            if page == 1:
                progress.grow(pages)
            progress.advance(1, name)

        return page_read

    publications: list[Publication] = []
    for path in map(Path, files):
        # An InputError stops everything here, before anything is written.
        publications.append(read_publication(path, engine, on_page=on_page(path.name)))
    return import_publications(publications, target, use_store=use_store, progress=progress)


def import_publications(
    publications: Sequence[Publication],
    output: str | Path,
    *,
    use_store: bool = True,
    progress: Progress | None = None,
) -> ImportResult:
    """Merge publications already read into the workbook `output` (the second half of an import)."""
    from .report import layout, xlsx

    progress = progress or Progress()
    target = _check_target(Path(output))
    new_sections = [s for p in publications for s in p.sections]
    new_periods = sorted({s.period for s in new_sections})

    existing: list[Section] = []
    existing_labels = None
    if target.exists():
        try:
            existing, existing_labels = xlsx.read_sections(target)
        except Exception as error:  # not a workbook openpyxl can read: say so, change nothing
            raise TargetError(f"{target}: bestaande werkmap niet te lezen ({type(error).__name__})") from None
    progress.advance(1, "werkmap gelezen")

    sections, labels = merge(existing, existing_labels, new_sections)
    findings = check_sections(sections)
    book_layout = layout.build_layout(sections, findings, labels)

    with replacing(target) as temporary:
        xlsx.write_workbook(
            book_layout,
            temporary,
            base=target if target.exists() else None,
            progress=lambda name: progress.advance(1, name),
        )
        if use_store:  # before the rename: a store that fails leaves the workbook as it was
            _update_store(new_sections, findings_of(findings, new_periods), [p.source for p in publications])
    progress.advance(1, "opgeslagen")
    return ImportResult(
        output=target,
        periods=sorted({s.period for s in sections}),
        regions=len({s.name for s in sections}),
        municipalities=len({(s.name, r.municipality) for s in sections for r in s.rows}),
        findings=findings,
        new_periods=new_periods,
    )


def _check_target(target: Path) -> Path:
    if target.suffix.lower() not in SUFFIXES:
        raise TargetError(f"{target}: kies een werkmap met .xlsx of .xlsm als extensie")
    if lock_file(target):
        raise TargetError(f"{target}: de werkmap is geopend in Excel; sluit hem en probeer opnieuw")
    if not target.parent.is_dir():
        raise TargetError(f"{target}: de map {target.parent} bestaat niet")
    return target


def findings_of(findings: list[Finding], periods: Iterable[str]) -> list[Finding]:
    """The findings of some quarters: checks never look across quarters, so these are exactly
    what checking those quarters alone would give."""
    wanted = set(periods)
    return [f for f in findings if f.period in wanted]


def merge(
    existing: list[Section], existing_labels: tuple[str, ...] | None, new: list[Section]
) -> tuple[list[Section], tuple[str, ...]]:
    """A workbook's data after an import: new quarters added, quarters imported again replaced.

    Periods come in order, each period's regions in the order they were read. The category
    labels are the new ones, or the workbook's when the new PDFs printed none.
    """
    new_periods = {s.period for s in new}
    by_period: dict[str, list[Section]] = {}
    for section in [s for s in existing if s.period not in new_periods] + new:
        by_period.setdefault(section.period, []).append(section)
    sections = [s for period in sorted(by_period) for s in by_period[period]]
    labels = category_labels(new)
    if not any(s.columns for s in new) and existing_labels:
        labels = existing_labels
    return sections, labels


def _update_store(sections: list[Section], findings: list[Finding], sources: list[str]) -> None:
    from .store import Store

    with Store.open() as store:
        store.replace_periods(sections, findings, source=", ".join(sources))


__all__ = ["ImportResult", "InputError", "Progress", "TargetError", "import_files", "import_publications", "lock_file"]
