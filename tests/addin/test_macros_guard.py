"""The ribbon's import under the shrink guard, through xlwings' remote engine: the user is asked,
nothing changes until they agree (a second click with the same files), then the quarter is replaced."""

from __future__ import annotations

from tests.addin.remote_book import open_book
from xlkp.addin import macros
from xlkp.importer import import_files
from xlkp.samples import render_pdf, sample_sections
from xlkp.store import Store
from xlkp.workbook import build


def test_a_smaller_quarter_needs_the_users_yes(store_path, tmp_path):
    three, two = tmp_path / "drie.pdf", tmp_path / "twee.pdf"
    render_pdf(sample_sections("2021-Q1")[:3], three)
    render_pdf(sample_sections("2021-Q1")[:2], two)
    import_files([three], tmp_path / "Elders.xlsx")  # the store holds 2021-Q1 with three regions
    xlsm = build.build_xlsm_bytes()[0]

    first = open_book(xlsm, {build.CHANNEL: [[1], [str(two)]]})
    assert macros.import_pdf(first) is None
    actions = first.json()["actions"]
    alerts = [a["args"] for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1
    prompt, _, _, mode, _ = alerts[0]
    assert "2021-Q1" in prompt and "3 regio's" in prompt and "2 regio's" in prompt
    assert "nogmaals" in prompt and mode == "critical"
    # Only the note of the question is written; the store is as it was.
    noted = [a for a in actions if a["func"] == "setValues"]
    assert len(noted) == 1 and noted[0]["values"][0][0].startswith("vervang 2021-Q1")
    with Store.open(store_path, create=False) as store:
        assert len(store.sections("2021-Q1")) == 3

    # A second click on the same file, with the note in place: the user's yes.
    key = noted[0]["values"][0][0]
    second = open_book(xlsm, {build.CHANNEL: [[1, key], [str(two), None]]})
    message = macros.import_pdf(second)
    assert message and "2 regio's" in message
    with Store.open(store_path, create=False) as store:
        assert len(store.sections("2021-Q1")) == 2

    # A note for other files is no yes.
    other = open_book(xlsm, {build.CHANNEL: [[1, "vervang iets anders"], [str(two), None]]})
    render_pdf(sample_sections("2021-Q1")[:1], two)
    assert macros.import_pdf(other) is None
    with Store.open(store_path, create=False) as store:
        assert len(store.sections("2021-Q1")) == 2


def test_excel_asks_with_a_yes_no_box(store_path, tmp_path, monkeypatch):
    """Where the engine answers at once (Excel on Windows and macOS), a yes/no box decides."""
    three, two = tmp_path / "drie.pdf", tmp_path / "twee.pdf"
    render_pdf(sample_sections("2021-Q1")[:3], three)
    render_pdf(sample_sections("2021-Q1")[:2], two)
    import_files([three], tmp_path / "Elders.xlsx")
    xlsm = build.build_xlsm_bytes()[0]
    for answer, regions in (("no", 3), ("yes", 2)):
        book = open_book(xlsm, {build.CHANNEL: [[1], [str(two)]]})
        asked = []

        def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None, asked=asked, answer=answer):
            asked.append((prompt, buttons))
            return answer if buttons == "yes_no" else None

        monkeypatch.setattr(macros, "_answers_at_once", lambda book: True)
        monkeypatch.setattr(type(book.app), "alert", alert)
        macros.import_pdf(book)
        assert asked[0][1] == "yes_no" and "Toch vervangen?" in asked[0][0], asked
        with Store.open(store_path, create=False) as store:
            assert len(store.sections("2021-Q1")) == regions
