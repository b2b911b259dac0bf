"""The written workbook in LibreOffice: recalculated values against pandas, edits re-flag, renders.

LibreOffice is an independent implementation of the formulas, tables (structured references),
validations and conditional formats that Excel will evaluate.
"""

from __future__ import annotations

import os
from pathlib import Path

import pdfplumber
import pytest

from tests.libreoffice import pdf_to_png, render_pdf, require_soffice, workbook_steps
from tests.report.report_data import INJECTION_NAMES, injection_publication, publication
from xlkp.checks import check_sections
from xlkp.frames import VALUE_COLUMNS, tidy_frame
from xlkp.importer import import_publications
from xlkp.report import layout as L

FLAG_RGB = tuple(int(L.STYLES["flag"]["fill"][i:i + 2], 16) / 255 for i in (0, 2, 4))
GENERATED = [L.OVERVIEW, L.CHARTS, L.TREND, L.CONTROLS, L.DATA, L.REGION_DATA]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> tuple[Path, list]:
    require_soffice()
    folder = tmp_path_factory.mktemp("lo")
    pub = publication("2021-Q1", "2021-Q2", defects=True)
    extra = injection_publication("2020-Q4")
    out = folder / "Klantprofielen.xlsx"
    import_publications([pub, extra], out, use_store=False)
    # The workbook keeps periods in order, each period's regions in the order read.
    return out, sorted(pub.sections + extra.sections, key=lambda s: s.period)


def _expected_overview(sections, period: str) -> list[list]:
    """Region rows as UWV printed them (TOTAAL AMR, register, printed %), blank where the region
    is absent; municipality rows their own figures; Nederland the regions' printed sum, or blank
    for a quarter with only some regions (then named for how many it holds)."""
    frame = tidy_frame(sections)
    frame = frame[frame.period == period]
    columns = [*VALUE_COLUMNS, "total"]
    printed = {s.name: s for s in sections if s.period == period}
    book = L.build_layout(sections, [], ("a", "b", "c", "d"))
    names = next(b for b in book.sheet(L.OVERVIEW).blocks if b.cell == f"A{L.OVERVIEW_FIRST_ROW}").rows
    expected, region = [], None
    for region_name, municipality in names:
        if region_name == L.NATIONAL_LABEL:
            name = L.Data(sections, [], ()).national_name(period)
            present = {s.region for s in sections if s.period == period and s.region in L.REGIONS}
            assert (name == L.NATIONAL_LABEL) == (len(present) == 35)
            if name != L.NATIONAL_LABEL:
                expected.append([name, "", *[""] * 7])
                continue
            sums = [sum(s.region_total.values[i] for s in printed.values()) for i in range(4)]
            sums.append(sum(s.region_total.total for s in printed.values()))
            register = sum(s.register for s in printed.values())
            expected.append([name, "", *sums, register, sums[-1] / register])
        elif region_name:
            region = region_name
            section = printed.get(region)
            if section is None:
                expected.append([region, "", *[""] * 7])
                continue
            total = section.region_total
            expected.append([region, "", *total.values, total.total, section.register,
                             section.coverage_percent_printed / 100])
        else:
            rows = frame[(frame.region == region) & (frame.municipality == municipality)]
            sums = rows[columns].sum().tolist() if len(rows) else [""] * 5
            expected.append(["", municipality, *sums, "", ""])
    return expected


def _overview_rows(snapshot) -> list[list]:
    rows = snapshot[L.OVERVIEW][L.OVERVIEW_FIRST_ROW - 1:]
    return [row[:9] for row in rows]


def _close(actual: list[list], expected: list[list]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected):
        assert len(got) == len(want)
        for a, b in zip(got, want):
            if isinstance(b, float) or isinstance(a, float) and isinstance(b, int):
                assert a == pytest.approx(b, rel=1e-9), (got, want)
            else:
                assert a == b, (got, want)


def test_libreoffice_values_match_pandas_and_edits_reflag(workbook, tmp_path: Path) -> None:
    path, sections = workbook
    frame = tidy_frame(sections)
    edit_row = frame.index[(frame.period == "2021-Q1") & (frame.region == "Friesland")][1]
    edited = frame.loc[edit_row]
    gegevens_row = int(edit_row) + 2
    pdf = tmp_path / "bewerkt.pdf"
    first, q1, q4, after = workbook_steps(
        path,
        [
            {"read": GENERATED},
            {"set": [[L.OVERVIEW, "B2", "2021-Q1"]], "read": [L.OVERVIEW, L.CHARTS]},
            {"set": [[L.OVERVIEW, "B2", "2020-Q4"]], "read": [L.OVERVIEW]},
            {
                "set": [[L.OVERVIEW, "B2", "2021-Q1"],
                        [L.DATA, f"D{gegevens_row}", int(edited.value_1) + 1000]],
                "read": [L.OVERVIEW, L.DATA, L.REGION_DATA],
                "pdf": str(pdf),
            },
        ],
    )
    # The summary, for each quarter the selector picks.
    assert first[L.OVERVIEW][1][1] == "2021-Q2"
    _close(_overview_rows(first), _expected_overview(sections, "2021-Q2"))
    _close(_overview_rows(q1), _expected_overview(sections, "2021-Q1"))
    _close(_overview_rows(q4), _expected_overview(sections, "2020-Q4"))
    assert [r[1] for r in _overview_rows(q4) if r[1] in INJECTION_NAMES] == INJECTION_NAMES

    # Text from the PDF stayed text in LibreOffice too.
    data = first[L.DATA]
    assert [r[2] for r in data[1:] if r[0] == "2020-Q4"][:4] == INJECTION_NAMES

    # The check column against pandas.
    # Verschil = gedrukt - berekend: the printed total minus the four counts, a number.
    sums = frame[VALUE_COLUMNS].sum(axis=1)
    expected_check = [float(t - s) for s, t in zip(sums, frame.total)]
    assert [r[8] for r in data[1:]] == expected_check
    assert expected_check.count(0) == len(expected_check) - 1

    # Region table: the check follows the findings, the column sums follow pandas.
    findings = check_sections(sections)
    flagged = {(f.period, f.region) for f in findings if f.kind in ("column_total", "coverage_percent")}
    regions = first[L.REGION_DATA]
    assert {(r[0], r[1]) for r in regions[1:] if r[11] == "Wijkt af"} == flagged
    by_region = frame.groupby(["period", "region"], sort=False)[[*VALUE_COLUMNS, "total"]].sum()
    sums_at = regions[0].index(f"Som {regions[0][3]}")
    assert [r[sums_at:sums_at + 5] for r in regions[1:]] == [
        list(map(float, by_region.loc[(r[0], r[1])])) for r in regions[1:]]

    # Trend: per quarter the first region's printed Totaal and Nederland's; none for a quarter
    # with only some regions, which says how many it has.
    trend = first[L.TREND]
    header = L.TREND_HEADER_ROW - 1
    periods = [row[0] for row in trend[header + 1:header + 4]]
    assert periods == ["2020-Q4", "2021-Q1", "2021-Q2"]
    spec = L.TREND_COLUMNS
    region = trend[1][1]
    for row, period in zip(trend[header + 1:], periods):
        section = next((s for s in sections if (s.period, s.name) == (period, region)), None)
        assert row[spec.position(L.trend_key("region", L.TOTAL_LABEL))] == (
            section.region_total.total if section else "")
        complete = len({s.region for s in sections if s.period == period and s.region in L.REGIONS}) == 35
        national = row[spec.position(L.trend_key("national", L.TOTAL_LABEL))]
        assert national == (sum(s.region_total.total for s in sections if s.period == period) if complete else "")
    note = trend[header + 1][spec.position(L.trend_key("national", L.NOTE))]
    assert note.startswith("1 van 35 regio's")

    # Charts' data follow the selector; Controles lists every finding with a link.
    regional = [r for r in _overview_rows(q1) if r[0] and r[0] != L.NATIONAL_LABEL]
    charts = [[str(v).replace(" " + L.MARK, "") for v in r[:1]] + r[1:] for r in q1[L.CHARTS][4:]]
    assert [r[:2] for r in charts] == [[r[0], r[8]] for r in regional]
    assert [[r[3].replace(" " + L.MARK, ""), *r[4:8]] for r in charts] == [[r[0], *r[2:6]] for r in regional]
    controls = first[L.CONTROLS][L.CONTROLS_HEADER_ROW:]
    assert len(controls) == len(findings)
    assert [r[1:4] for r in controls] == [[f.period, f.region or "", f.municipality or ""] for f in findings]
    assert all(r[8].startswith(("Gegevens!", "Regiototalen!")) for r in controls)

    # The edit: the row check, the region's summary and the TOTAAL AMR check all follow it.
    assert after[L.DATA][gegevens_row - 1][8] == -1000
    _close(_overview_rows(after), _expected_overview(_with_edit(sections, edited), "2021-Q1"))
    friesland = next(r for r in after[L.REGION_DATA][1:] if r[:2] == ["2021-Q1", "Friesland"])
    assert friesland[11] == "Wijkt af"

    # Conditional formatting, as rendered: the edited row and the original error are flagged red.
    assert _flagged(pdf, str(edited.municipality)) and _flagged(pdf, "Eemsdelta")
    assert not _flagged(pdf, "Harlingen")


def _with_edit(sections, edited):
    from xlkp.model import replace

    changed = []
    for s in sections:
        if s.period == edited.period and s.name == edited.region:
            s = replace(s, rows=[
                replace(r, values=(r.values[0] + 1000, *r.values[1:])) if r.municipality == edited.municipality else r
                for r in s.rows
            ])
        changed.append(s)
    return changed


def _flagged(pdf: Path, word: str) -> bool:
    """Whether the Gegevens row showing `word` (2021-Q1) has the flag fill behind it."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words()
            if not any(w["text"] == "Periode" for w in words[:12]):
                continue
            for w in words:
                if w["text"] == word.split()[0]:
                    middle = (w["top"] + w["bottom"]) / 2
                    for rect in page.rects:
                        colour = rect.get("non_stroking_color")
                        if (rect["top"] <= middle <= rect["bottom"] and rect["x0"] <= w["x0"] <= rect["x1"]
                                and colour and len(colour) == 3
                                and all(abs(a - b) < 0.02 for a, b in zip(colour, FLAG_RGB))):
                            return True
                    return False
    raise AssertionError(f"{word} not found on a Gegevens page")


def test_workbook_renders_to_pdf_and_png(workbook, tmp_path: Path) -> None:
    path, _ = workbook
    outdir = Path(os.environ.get("XLKP_RENDER_DIR") or tmp_path)  # set it to keep the pictures
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = render_pdf(path, outdir)
    pages = pdf_to_png(pdf, outdir)
    with pdfplumber.open(pdf) as document:
        first = document.pages[0].extract_text()
        texts = [p.extract_text() or "" for p in document.pages]
    assert "Klantprofielen per arbeidsmarktregio" in first and "Nederland" in first
    assert any("Bekend in Sonar" in t for t in texts)  # the chart's title: charts were drawn
    assert any("Controles" in t for t in texts)
    from PIL import Image

    for png in pages[:3]:
        colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20  # not a blank page
    _prints_legibly(pdf, pages)


def _prints_legibly(pdf: Path, pngs: list[Path]) -> None:
    """Every page has the footer (source, sheet, page of pages); fonts are sans (none fell back
    to a serif); text is not shrunk below 6.5 pt (LibreOffice draws Calibri in DejaVu Sans, a
    third wider, so a sheet Excel prints at 80 % comes out at about 60 % here); each chart has
    a page of its own, whole."""
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        texts = [p.extract_text() or "" for p in pages]
        footers = []
        for number, (page, text) in enumerate(zip(pages, texts), start=1):
            # the last such line: a sheet names its source at its top too
            footer = ([line for line in text.splitlines() if line.startswith("Bron: ")] or [""])[-1]
            footers.append(footer)
            assert footer.startswith("Bron: UWV, Transparantie van klantprofielen, 2020-Q4 t/m 2021-Q2"), footer
            assert footer.endswith(f"Pagina {number} van {len(pages)}"), footer
            fonts = {c["fontname"].split("+")[-1] for c in page.chars}
            assert not any("Serif" in f and "Sans" not in f or "Times" in f for f in fonts), fonts
            body = [c["size"] for c in page.chars if c["top"] < page.height - 60]
            if body:
                assert sorted(body)[len(body) // 2] >= 6.5, (number, footer)
        sheets = [f.split(" Pagina ")[0].rsplit(" ", 1)[-1] for f in footers]
        orientation = {s: pages[i].width > pages[i].height for i, s in enumerate(sheets)}
        assert orientation[L.OVERVIEW] and orientation[L.REGION_DATA]
    from PIL import Image

    # The charts, by their colours in the rendered pages (LibreOffice writes a chart's text,
    # clipped, into each page near it, so text cannot tell): each alone on a page of its own.
    charts = {"data": [], "coverage": [], "composition": []}
    for number, sheet in enumerate(sheets):
        if sheet != L.CHARTS:
            continue
        counts = dict((f"{r:02X}{g:02X}{b:02X}", n) for n, (r, g, b) in
                      Image.open(pngs[number]).convert("RGB").getcolors(maxcolors=1 << 22))
        header, first_series, third_series = (counts.get(c, 0) for c in (L.STYLES["header"]["fill"], "4F81BD", "9BBB59"))
        if header > 300:
            charts["data"].append(number)
        elif third_series > 2000:
            charts["composition"].append(number)
        elif first_series > 2000:
            charts["coverage"].append(number)
    assert charts["data"] and len(charts["coverage"]) == 1 and len(charts["composition"]) == 1, charts


# Names that a SUMIFS criterion would read as an operator or a wildcard, unless escaped.
CRITERION_NAMES = ["*", "Gew?ne Gemeente", "Gewone Gemeente", "~Gewone", "<5", ">5", "=Gewone Gemeente"]


def test_values_match_pandas_at_several_quarters(tmp_path: Path) -> None:
    from xlkp.model import Publication
    from xlkp.samples import make_section

    require_soffice()
    pub = publication("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4")
    rows = [(name, (i + 1, 2 * i, 3, 5 + i)) for i, name in enumerate(CRITERION_NAMES)]
    odd = Publication("wildcards.pdf", [
        make_section("2021-Q3", "Zeeland*", rows, register=900),
        make_section("2021-Q3", "Zeeland?", rows[:2], register=300),
    ])
    out = tmp_path / "Klantprofielen.xlsx"
    import_publications([pub, odd], out, use_store=False)
    sections = sorted(pub.sections + odd.sections, key=lambda s: s.period)
    periods = ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    # A row moved to another quarter by hand: both quarters' rows are no longer contiguous, so
    # their sums take the whole-table route; the other quarters keep the quick one.
    frame = tidy_frame(sections)
    moved = frame.index[(frame.period == "2021-Q1") & (frame.region == "Friesland")][2]
    moved_row = frame.loc[moved]
    edited = _moved(sections, "2021-Q1", "2021-Q3", "Friesland", str(moved_row.municipality))
    snapshots = workbook_steps(
        out,
        [{"read": [L.TREND, L.REGION_DATA]}]
        + [{"set": [[L.OVERVIEW, "B2", period]], "read": [L.OVERVIEW]} for period in periods]
        + [{"set": [[L.DATA, f"A{int(moved) + 2}", "2021-Q3"], [L.OVERVIEW, "B2", period]],
            "read": [L.OVERVIEW, L.LISTS]} for period in periods]
        + [{"set": [[L.TREND, L.TREND_REGION, "Zeeland*"]], "read": [L.TREND]}],
    )
    for period, snapshot in zip(periods, snapshots[1:5]):
        _close(_overview_rows(snapshot), _expected_overview(sections, period))
    for period, snapshot in zip(periods, snapshots[5:9]):
        _close(_overview_rows(snapshot), _expected_overview(edited, period))
    contiguous = {row[0]: row[3] for row in snapshots[5][L.LISTS][1:]}
    assert [contiguous[p] for p in periods] == [False, True, False, True]

    by_region = frame.groupby(["period", "region"], sort=False)[[*VALUE_COLUMNS, "total"]].sum()
    header, *regions = snapshots[0][L.REGION_DATA]
    sums_at = header.index(f"Som {header[3]}")
    assert [r[sums_at:sums_at + 5] for r in regions] == [
        list(map(float, by_region.loc[(r[0], r[1])])) for r in regions]
    assert {r[1] for r in regions} >= {"Zeeland*", "Zeeland?", "Zeeland"}
    # Each row's hidden span, looked up in tblKwartalen on Lijsten: its quarter's rows of Gegevens
    # (were the lookup to fail, the sums would take the slow route to the same values).
    span_at = [header.index(what) for what in L.GEGEVENS_SPAN]
    first_row = {p: float(frame.index[frame.period == p][0] + 1) for p in periods}
    row_count = frame.period.value_counts()
    assert [[r[i] for i in span_at] for r in regions] == [
        [first_row[r[0]], float(row_count[r[0]]), True] for r in regions]

    # The trend of a region whose name a criterion would read as a wildcard: its own figures.
    trend = snapshots[-1][L.TREND]
    spec, first = L.TREND_COLUMNS, L.TREND_HEADER_ROW
    assert [row[0] for row in trend[first:first + 4]] == periods
    for row, period in zip(trend[first:], periods):
        want = next((s.region_total.total for s in sections if (s.period, s.name) == (period, "Zeeland*")), "")
        assert row[spec.position(L.trend_key("region", L.TOTAL_LABEL))] == want, period
        printed = sum(s.region_total.total for s in sections if s.period == period)
        assert row[spec.position(L.trend_key("national", L.TOTAL_LABEL))] == printed


def _moved(sections, source: str, target: str, region: str, municipality: str):
    """`sections` with one municipality's row moved from quarter `source` to `target`."""
    from xlkp.model import replace

    row = next(r for s in sections if (s.period, s.name) == (source, region)
               for r in s.rows if r.municipality == municipality)
    changed = []
    for s in sections:
        if (s.period, s.name) == (source, region):
            s = replace(s, rows=[r for r in s.rows if r is not row])
        elif (s.period, s.name) == (target, region):
            s = replace(s, rows=[*s.rows, row])
        changed.append(s)
    return changed
