"""Cells a user made on the generated sheets survive a re-import, through both writers (see
xlkp/report/kept.py for what counts as the user's)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.report.report_data import publication
from xlkp.checks import check_sections
from xlkp.importer import import_publications
from xlkp.report import kept, xlwings_writer
from xlkp.report import layout as L


def _rows(ws) -> dict[tuple[str, str, str], int]:
    """Gegevens: the row of each (period, region, municipality)."""
    min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(ws.tables[L.DATA_TABLE].ref)
    return {tuple(ws.cell(r, c).value for c in (1, 2, 3)): r for r in range(min_row + 1, max_row + 1)}


NOTED = [("2021-Q2", "Friesland", 0), ("2021-Q2", "Zuid-Limburg", 2), ("2021-Q2", "Groningen", 1)]


def _add_user_cells(path: Path, inside_table: bool = True) -> dict:
    """The cells an analyst adds after the first import; what each should say afterwards."""
    book = openpyxl.load_workbook(path)
    overview, controls, trend, data = (book[n] for n in (L.OVERVIEW, L.CONTROLS, L.TREND, L.DATA))
    area = {ws.title: kept.parse_area(ws.defined_names[kept.AREA_NAME].attr_text) for ws in book.worksheets
            if kept.AREA_NAME in ws.defined_names}
    assert set(area) == set(L.SHEETS)
    last_row, last_col = area[L.OVERVIEW]
    overview.cell(2, last_col + 2, "Mijn notitie")
    overview.cell(last_row + 2, 1, "Onder het overzicht")
    controls.cell(area[L.CONTROLS][0] + 2, 1, "Nagekeken door Anna")
    controls.cell(area[L.CONTROLS][0] + 3, 2, "=1+1")
    trend.cell(5, area[L.TREND][1] + 1, "rechts van de trend")
    rows = _rows(data)
    first_extra = area[L.DATA][1] + 1
    data.cell(1, first_extra, "Opmerking")
    data.cell(1, first_extra + 1, "Dubbel")
    notes = {}
    for period, region, index in NOTED:
        key = [k for k in rows if k[:2] == (period, region)][index]
        r = rows[key]
        data.cell(r, first_extra, f"nagebeld {key[2]}")
        data.cell(r, first_extra + 1, f"=H{r}*2")
        notes[key] = f"nagebeld {key[2]}"
    if inside_table:  # as Excel does when one types beside a table
        table = data.tables[L.DATA_TABLE]
        table.ref = table.ref.replace(openpyxl.utils.get_column_letter(first_extra - 1),
                                      openpyxl.utils.get_column_letter(first_extra), 1)
    book.save(path)
    return {"area": area, "notes": notes, "first_extra": first_extra}


def test_user_cells_and_an_added_column_survive_a_reimport(tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q2")], out, use_store=False)
    made = _add_user_cells(out)
    # An earlier quarter, with misprints: every Q2 row moves down, Controles and Trend grow.
    import_publications([publication("2021-Q1", defects=True)], out, use_store=False)
    book = openpyxl.load_workbook(out)
    area = {ws.title: kept.parse_area(ws.defined_names[kept.AREA_NAME].attr_text) for ws in book.worksheets
            if kept.AREA_NAME in ws.defined_names}
    old = made["area"]

    overview = book[L.OVERVIEW]
    assert overview.cell(2, old[L.OVERVIEW][1] + 2).value == "Mijn notitie"
    assert overview.cell(area[L.OVERVIEW][0] + 2, 1).value == "Onder het overzicht"
    controls = book[L.CONTROLS]
    grown = area[L.CONTROLS][0] - old[L.CONTROLS][0]
    assert grown == 4 - 1  # four findings where there was one line, "Geen bevindingen"
    assert controls.cell(old[L.CONTROLS][0] + 2 + grown, 1).value == "Nagekeken door Anna"
    assert controls.cell(old[L.CONTROLS][0] + 3 + grown, 2).value == "=1+1"
    # a quarter more: the trend grows down (a row in its table, one in its charts' source), not right
    assert area[L.TREND][0] > old[L.TREND][0] and area[L.TREND][1] == old[L.TREND][1]
    assert book[L.TREND].cell(5, area[L.TREND][1] + 1).value == "rechts van de trend"

    data = book[L.DATA]
    rows = _rows(data)
    extra = made["first_extra"]
    assert data.cell(1, extra).value == "Opmerking" and data.cell(1, extra + 1).value == "Dubbel"
    for key, note in made["notes"].items():
        r = rows[key]
        assert r > 2 + sum(1 for k in rows if k[0] == "2021-Q1") - 1  # moved below the Q1 rows
        assert data.cell(r, extra).value == note
        assert data.cell(r, extra + 1).value == f"=H{r}*2"  # a formula follows its row
    noted = {rows[k] for k in made["notes"]}
    assert all(data.cell(r, extra).value is None for r in rows.values() if r not in noted)
    # The column added inside the table stays in it.
    assert data.tables[L.DATA_TABLE].ref == f"A1:{openpyxl.utils.get_column_letter(extra)}{max(rows.values())}"


def test_a_replaced_quarter_keeps_notes_of_its_rows_by_name(tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q2")], out, use_store=False)
    made = _add_user_cells(out, inside_table=False)
    import_publications([publication("2021-Q2", seed=7)], out, use_store=False)  # other numbers
    data = openpyxl.load_workbook(out)[L.DATA]
    rows = _rows(data)
    for key, note in made["notes"].items():
        assert data.cell(rows[key], made["first_extra"]).value == note
    assert data.tables[L.DATA_TABLE].ref.split(":")[1].startswith(L.DATA_COLUMNS.last_letter)  # beside, not in it


def test_xlwings_writer_keeps_user_cells(tmp_path: Path, remote_engine) -> None:
    from tests.addin.remote_book import open_book

    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q2")], out, use_store=False)
    made = _add_user_cells(out)
    book = open_book(out.read_bytes())
    sections = publication("2021-Q1", defects=True).sections + publication("2021-Q2").sections
    book_layout = L.build_layout(sections, check_sections(sections), ("a", "b", "c", "d"))
    xlwings_writer.render(book, book_layout)
    actions = book.json()["actions"]
    names = [a["args"] for a in actions if a["func"] == "namesAdd"]
    assert names == [[kept.AREA_NAME, kept.area_reference(s)] for s in book_layout.sheets]

    def written(sheet: str) -> dict[str, list]:
        position = [s.name for s in book.sheets].index(sheet)
        return {L.cell(a["start_row"] + 1, a["start_column"] + 1): a["values"]
                for a in actions if a["func"] == "setValues" and a["sheet_position"] == position}

    area = {s.name: kept.written_area(s) for s in book_layout.sheets}
    old = made["area"]
    assert written(L.OVERVIEW)[L.cell(2, old[L.OVERVIEW][1] + 2)] == [["Mijn notitie"]]
    assert written(L.OVERVIEW)[L.cell(area[L.OVERVIEW][0] + 2, 1)] == [["Onder het overzicht"]]
    grown = area[L.CONTROLS][0] - old[L.CONTROLS][0]
    assert written(L.CONTROLS)[L.cell(old[L.CONTROLS][0] + 2 + grown, 1)] == [["Nagekeken door Anna"]]
    # Gegevens: the added column in one block from its header down, each note at its row's new place.
    data_block = book_layout.sheet(L.DATA).blocks[1]
    new_rows = {tuple(v[:3]): 2 + i for i, v in enumerate(data_block.rows)}
    extra = made["first_extra"]
    column = written(L.DATA)[L.cell(1, extra)]
    assert column[0] == ["Opmerking"]
    for key, note in made["notes"].items():
        assert column[new_rows[key] - 1] == [note]
    assert sum(1 for v in column if v != [None] and v != [""]) == 1 + len(made["notes"])
    table = next(a for a in actions if a["func"] == "addTable" and a["args"][3] == L.DATA_TABLE)
    assert table["args"][0].replace("$", "").split(":")[1] == f"{L.cell(max(new_rows.values()), extra)}"


def test_libreoffice_computes_the_kept_cells(tmp_path: Path) -> None:
    """The re-imported workbook in LibreOffice: the added column's formulas compute on their
    rows, the widened table's structured references still hold, no error values."""
    from tests.libreoffice import require_soffice, workbook_steps

    require_soffice()
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q2")], out, use_store=False)
    made = _add_user_cells(out)
    import_publications([publication("2021-Q1", defects=True)], out, use_store=False)
    (snapshot,) = workbook_steps(out, [{"read": [L.DATA, L.OVERVIEW, L.CONTROLS]}])
    data = snapshot[L.DATA]
    extra = made["first_extra"] - 1
    assert data[0][extra:extra + 2] == ["Opmerking", "Dubbel"]
    noted = {tuple(row[:3]): row for row in data[1:] if row[extra]}
    assert set(noted) == set(made["notes"])
    for key, row in noted.items():
        assert row[extra] == made["notes"][key] and row[extra + 1] == 2 * row[7]
    errors = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "Err:")
    for sheet, rows in snapshot.items():
        assert not [v for row in rows for v in row if isinstance(v, str) and v.startswith(errors)], sheet
    assert "Nagekeken door Anna" in [row[0] for row in snapshot[L.CONTROLS]]
