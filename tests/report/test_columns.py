"""The column specs: lookups, and that the layout and the readers follow them."""

import pytest
from openpyxl.utils.cell import coordinate_to_tuple

from xlkp.checks import check_sections
from xlkp.report import layout as L
from xlkp.report.columns import Column, Columns
from xlkp.samples import sample_sections

SPEC = Columns(
    Column("name", header="Naam", fit=(10, 20)),
    Column("a", number_format="#,##0"),
    Column("b", number_format="#,##0", style="center"),
    Column("share", width=11, number_format="0%"),
    Column("helper", hidden=True, fit=None),
    first="C",
)


def test_lookups_by_key():
    assert (SPEC.index("name"), SPEC.letter("name"), SPEC.position("name")) == (3, "C", 0)
    assert SPEC.letter("helper") == "G"
    assert SPEC.ref("b", 7) == "E7"
    assert SPEC.ref("b", 7, absolute=True) == "$E$7"
    assert SPEC.ref("b", 7, fixed_column=True) == "$E7"
    assert SPEC.range("a", 2, 9, to="share") == "D2:F9"
    assert SPEC.range("a", 2, 9, absolute=True) == "$D$2:$D$9"
    assert SPEC.row(1) == "C1:G1" and SPEC.area(1, 4) == "C1:G4"
    assert SPEC.headers == ["Naam", "a", "b", "share", "helper"]
    assert SPEC.hidden_letters() == ["G"]
    with pytest.raises(KeyError, match="no column 'c'"):
        SPEC.letter("c")
    with pytest.raises(ValueError):
        Columns(Column("a"), Column("a"))


def test_reading_a_row_by_key():
    row = ["x", 1, 2]
    assert SPEC.get(row, "b") == 2
    assert SPEC.get(row, "share") is None  # a short row: nothing there
    assert SPEC.take(row, ("a", "b")) == [1, 2]
    assert SPEC.within([None, None, "x", 1, 2, 0.5, "k", "beyond"]) == ["x", 1, 2, 0.5, "k"]


def test_writing_a_row_by_key():
    assert SPEC.line({"b": 2, "name": "x"}) == ["x", None, 2, None, None]
    assert SPEC.line({"share": "=B2"}, first="share") == ["=B2", None]
    assert SPEC.line({}, last="a") == [None, None]
    with pytest.raises(KeyError, match="helper"):
        SPEC.line({"helper": 1}, last="share")  # a column outside the span is an error, never ignored


def test_a_row_maker_places_values_as_line_does():
    assert SPEC.maker("b", "name")(2, "x") == SPEC.line({"b": 2, "name": "x"})
    assert SPEC.maker("name", "a", last="a")("x", 1) == ["x", 1]  # the whole span: the values as given
    assert SPEC.maker("share", first="share")("=B2") == ["=B2", None]
    made = SPEC.maker("a", last="b")
    assert made(1) == [None, 1, None] and made(3) == [None, 3, None]  # a fresh row each time
    with pytest.raises(KeyError, match="helper"):
        SPEC.maker("helper", last="share")  # outside the span: an error when the maker is made
    with pytest.raises(KeyError):
        SPEC.maker("a", "a")
    with pytest.raises(TypeError, match="2 values expected"):
        SPEC.maker("name", "a", last="a")("x")
    with pytest.raises(TypeError, match="1 values expected"):
        made(1, 2)


def test_formats_merge_neighbours_numbers_first():
    assert SPEC.formats(2, 9) == [
        ("D2:E9", "#,##0", None),
        ("F2:F9", "0%", None),
        ("E2:E9", None, "center"),
    ]


def test_widths_fit_fixed_or_left_alone():
    widths = SPEC.widths([["kort", 1234567, None], ["een heel erg lange naam die past", 1, 2]])
    assert widths["C"] == 20  # fitted, capped
    assert widths["D"] == 11.0  # '1,234,567' and two characters
    assert widths["E"] == 8  # the minimum
    assert widths["F"] == 11
    assert "G" not in widths


def test_widths_count_what_each_value_shows():
    # The longest whole number shown may be the smallest one; a float, a flag or a text as shown.
    assert SPEC.widths([["x", -12345, 5], ["y", 999, 0.125]]) == SPEC.widths([["x", "-12,345", 5], ["y", "999", "0.125"]])
    rows = [["x", -12345, None], ["y", 999, True], ["z", 1.5, "ab"], ["w"]]  # rows of any length
    assert SPEC.widths(rows)["D"] == 9.0 and SPEC.widths(rows)["E"] == 8
    spec = Columns(Column("n", fit=(1, 99)))
    for values in ([-1, 10], [-100, 9999], [0, -0.0], [False, 1, "abc", 12.25], [None], ["", "a"],
                   ["ab", 12345], ["a", None, "abcd"], ["a", True], ["abc", 1.25]):  # text first, then not
        shown = max(len(f"{v:,}" if isinstance(v, int) else str("" if v is None else v)) for v in values)
        assert spec.widths([[v] for v in values])["A"] == round(max(0.9, shown) + 2, 1), values  # header "n": 0.9


def test_a_new_column_moves_every_reference_after_it():
    wider = Columns(Column("extra"), *SPEC, first="C")
    assert wider.letter("share") == "G" and SPEC.letter("share") == "F"


def test_the_layout_follows_the_specs():
    sections = [s for p in ("2021-Q1", "2021-Q2") for s in sample_sections(p)]
    labels = ("Eén", "Twee", "Drie", "Vier")
    book = L.build_layout(sections, check_sections(sections), labels)
    for name, spec, table in (
        (L.DATA, L.data_columns(labels), L.DATA_TABLE),
        (L.REGION_DATA, L.region_columns(labels), L.REGION_TABLE),
        (L.NATIONAL_SHEET, L.national_columns(labels), L.NATIONAL_TABLE),
    ):
        sheet = book.sheet(name)
        header = next(b for b in sheet.blocks if b.cell == spec.ref(spec.keys[0], 1))
        assert header.rows == [spec.headers]
        table_ref = next(t for t in sheet.tables if t.name == table).ref
        last = int(table_ref.rsplit(":", 1)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        assert table_ref == spec.area(1, last)
        written = [(f.ref, f.number_format, f.style) for f in sheet.formats]
        assert spec.formats(2, last) and all(f in written for f in spec.formats(2, last))
    regions = book.sheet(L.REGION_DATA)
    assert regions.hidden_columns == [L.REGION_COLUMNS.letter(what) for what in L.GEGEVENS_SPAN]
    # the totals read back by key are the ones written
    data_rows = [b for b in book.sheet(L.DATA).blocks if b.cell in ("A1", "A2")]
    region_rows = [b for b in regions.blocks if b.cell in ("A1", "A2")]
    read, read_labels = L.sections_from_tables([*data_rows[0].rows, *data_rows[1].rows],
                                               [*region_rows[0].rows, *region_rows[1].rows])
    assert read_labels == labels
    assert [(s.period, s.name, s.region_total, s.register, s.rows) for s in read] == [
        (s.period, s.name, s.region_total, s.register, s.rows) for s in sections
    ]


def test_a_table_is_read_by_its_headers_not_by_todays_positions():
    # A workbook from another version of xlkp: Regiototalen without Doelgroepregister, and
    # Gegevens without its last columns. Read by position, every column after the gap would be
    # taken for its neighbour; read by header, what is missing is missing and the rest is right.
    sections = sample_sections("2021-Q1")[:3]
    book = L.build_layout(sections, check_sections(sections), L.DEFAULT_COLUMNS)

    def table(name):
        blocks = [b for b in book.sheet(name).blocks if b.cell in ("A1", "A2")]
        return [list(row) for block in blocks for row in block.rows]

    def without(rows, at):
        return [row[:at] + row[at + 1:] for row in rows]

    regions = without(table(L.REGION_DATA), L.REGION_COLUMNS.position(L.REGISTER))
    data = [row[: L.DATA_COLUMNS.position(L.TOTAL_LABEL) + 1] for row in table(L.DATA)]
    read, _ = L.sections_from_tables(data, regions)
    assert [(s.name, s.region_total, s.register, s.coverage_percent_printed, s.rows) for s in read] == [
        (s.name, s.region_total, None, s.coverage_percent_printed, s.rows) for s in sections
    ]
    assert all(s.source is None and s.pages == [] for s in read)
    located = L.REGION_COLUMNS.located(regions[0])
    assert L.REGISTER not in located and located.get(regions[1], L.REGION) == sections[0].name


def test_edited_data_rows_are_read_as_before():
    # Gegevens is read column by column and a section's rows a run at a time: a user's edits
    # (a count typed as text or a fraction, or cleared, a name or a quarter cleared, a row moved
    # away from its region's) read as they did row by row.
    sections = sample_sections("2021-Q1")[:2]
    book = L.build_layout(sections, check_sections(sections), L.DEFAULT_COLUMNS)

    def table(name, spec):  # every column, as read back: a formula cell as None
        grid = [[None] * len(spec) for _ in range(max(len(b.rows) for b in book.sheet(name).blocks) + 1)]
        for block in book.sheet(name).blocks:
            row, column = coordinate_to_tuple(block.cell)
            for r, values in enumerate(block.rows, start=row - 1):
                for c, value in enumerate(values, start=column - 1):
                    grid[r][c] = None if block.formulas else value
        return grid

    data, regions = table(L.DATA, L.DATA_COLUMNS), table(L.REGION_DATA, L.REGION_COLUMNS)
    assert data[0] == L.DATA_COLUMNS.headers and len(data[1]) == len(data[0])  # whole rows, as read back
    first, second = L.DATA_COLUMNS.position(L.CATEGORY_KEYS[0]), L.DATA_COLUMNS.position(L.CATEGORY_KEYS[1])
    data[1][first], data[1][second] = "17", 12.6
    data[2][first], data[2][second] = None, "x"
    data[3][L.DATA_COLUMNS.position(L.MUNICIPALITY)] = None
    data[4][L.DATA_COLUMNS.position(L.PERIOD)] = ""
    data[5][L.DATA_COLUMNS.position(L.PAGE)] = "3"
    data.append(data.pop(6))  # into the next region's rows, then back to its own
    read, _ = L.sections_from_tables(data, regions)
    rows = sections[0].rows
    assert [r.municipality for r in read[0].rows] == [r.municipality for r in [*rows[:2], rows[4], *rows[6:], rows[5]]]
    assert read[0].rows[0].values[:2] == (17, 13) and read[0].rows[1].values[:2] == (0, 0)
    assert read[0].rows[2].page == 3 and read[0].rows[2].values == rows[4].values
    assert read[1].rows == sections[1].rows and read[0].source == read[1].source is None


def test_edited_region_rows_are_read_as_before():
    # Regiototalen's rows take their counts, register and page as typed: text or a fraction is
    # read as a whole number, a cleared count leaves the region without its printed total.
    sections = sample_sections("2021-Q1")[:3]
    book = L.build_layout(sections, check_sections(sections), L.DEFAULT_COLUMNS)
    regions = [[None] * len(L.REGION_COLUMNS) for _ in range(len(sections) + 1)]
    for block in book.sheet(L.REGION_DATA).blocks:
        row, column = coordinate_to_tuple(block.cell)
        for r, values in enumerate(block.rows, start=row - 1):
            for c, value in enumerate(values, start=column - 1):
                regions[r][c] = None if block.formulas else value
    data = [L.DATA_COLUMNS.headers]
    at = L.REGION_COLUMNS.position
    regions[1][at(L.CATEGORY_KEYS[0])], regions[1][at(L.REGISTER)] = str(sections[0].region_total.values[0]), "1234"
    regions[1][at(L.REGION_AS_PRINTED)], regions[1][at(L.PAGE)] = "", "7"
    regions[2][at(L.CATEGORY_KEYS[1])], regions[2][at(L.PAGE)] = sections[1].region_total.values[1] + 0.4, 2.6
    regions[3][at(L.TOTAL_LABEL)] = None
    read, _ = L.sections_from_tables(data, regions)
    assert read[0].region_total == sections[0].region_total and read[0].register == 1234
    assert read[0].region_as_printed == sections[0].name and read[0].pages == [7]
    assert read[1].region_total == sections[1].region_total and read[1].pages == [3]
    assert read[2].region_total is None and read[2].register == sections[2].register
