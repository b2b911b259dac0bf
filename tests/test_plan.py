"""The import plan both front-ends call: pure, so it is tested on records alone."""

from __future__ import annotations

from xlkp.checks import check_sections
from xlkp.model import Finding, Publication, Row, replace
from xlkp.plan import BookContents, departures, plan_import, still_found
from xlkp.samples import national_table, sample_sections


def test_a_first_import_plans_every_sheet_and_the_store_changes():
    q1 = sample_sections("2021-Q1")
    plan = plan_import(BookContents(), [Publication("q1.pdf", q1, [national_table(q1)])])

    assert plan.added == ["2021-Q1"] and plan.replaced == [] and plan.refused == []
    assert plan.periods == ["2021-Q1"] and plan.regions == 35
    assert plan.layout is not None and plan.store is not None
    assert plan.store.sections == q1 and plan.store.source == "q1.pdf" and len(plan.store.national) == 1
    assert plan.findings == check_sections(q1, plan.national)


def test_a_quarter_imported_again_is_replaced_and_the_others_kept():
    q1, q2 = sample_sections("2021-Q1"), sample_sections("2021-Q2")
    existing = BookContents(q1 + q2[:3], None, [])
    plan = plan_import(existing, [Publication("q2.pdf", q2)])

    assert plan.added == [] and plan.replaced == ["2021-Q2"] and plan.refused == []
    assert plan.sections == q1 + q2
    assert plan.store is not None and {f.period for f in plan.store.findings} <= {"2021-Q2"}


def test_a_shrinking_quarter_is_refused_and_nothing_else_planned():
    q1 = sample_sections("2021-Q1")
    existing = BookContents(q1, None, [])
    refused = plan_import(existing, [Publication("small.pdf", sample_sections("2021-Q1")[:3])])

    assert [s.period for s in refused.refused] == ["2021-Q1"]
    assert refused.refused[0].regions == (35, 3)
    assert refused.layout is None and refused.store is None and refused.sections == []

    agreed = plan_import(existing, [Publication("small.pdf", sample_sections("2021-Q1")[:3])], replace=True)
    assert agreed.refused == [] and agreed.regions == 3 and agreed.layout is not None


def test_the_store_guards_a_quarter_the_workbook_does_not_hold():
    stored = sample_sections("2021-Q1")
    plan = plan_import(BookContents(), [Publication("small.pdf", stored[:3])], stored=stored)
    assert [s.period for s in plan.refused] == ["2021-Q1"]


def test_a_quarter_without_labels_takes_the_stored_labels_of_the_quarter_before():
    q2 = sample_sections("2021-Q2")
    for section in q2:
        section.columns = None
    labels = ("A", "B", "C", "D")
    plan = plan_import(BookContents(), [Publication("q2.pdf", q2)], stored_labels={"2021-Q1": labels})
    assert plan.store is not None and {s.columns for s in plan.store.sections} == {labels}


def test_sheets_equal_to_the_store_depart_nowhere_in_any_row_order():
    q1 = sample_sections("2021-Q1")
    national = [national_table(q1)]
    findings = check_sections(q1, national)
    reordered = [replace(s, rows=list(reversed(s.rows))) for s in reversed(q1)]

    assert departures(BookContents(reordered, None, national), findings, BookContents(q1, None, national),
                      findings) == []


def test_an_edited_figure_departs_naming_its_region_and_quarter():
    q1 = sample_sections("2021-Q1")
    edited = [replace(s) for s in q1]
    first = edited[0]
    row = first.rows[0]
    edited[0] = replace(first, rows=[Row(row.municipality, row.values, row.total + 7), *first.rows[1:]])

    found = departures(BookContents(edited), check_sections(edited), BookContents(q1), check_sections(q1))

    assert [(d.period, d.stored, d.areas, d.findings) for d in found] == [("2021-Q1", True, [first.name], True)]
    assert found[0].describe() == f"2021-Q1: {first.name}"


def test_a_quarter_missing_from_the_store_departs():
    q1, q2 = sample_sections("2021-Q1"), sample_sections("2021-Q2")
    found = departures(BookContents(q1 + q2), check_sections(q1 + q2), BookContents(q1), check_sections(q1))
    assert [d.describe() for d in found] == ["2021-Q2 staat niet in de opslag"]


def test_an_edited_national_table_departs_as_nederland():
    q1 = sample_sections("2021-Q1")
    stored_table, edited_table = national_table(q1), national_table(q1)
    edited_table.register = (edited_table.register or 0) + 1
    found = departures(BookContents(q1, None, [edited_table]), [], BookContents(q1, None, [stored_table]), [])
    assert [d.areas for d in found] == [["Nederland"]]


def test_findings_of_quarters_an_import_leaves_as_they_were_are_kept():
    labels = {"2021-Q1": ("a", "b", "c", "d"), "2021-Q3": ("a", "b", "c", "d"), "2021-Q4": ("e", "b", "c", "d")}
    found = {p: [_marker(p)] for p in ("2021-Q1", "2021-Q3", "2021-Q4")}
    # Imported again: checked again. Untouched, with the same quarter before: kept.
    assert still_found(found, labels, labels, ["2021-Q3"]).keys() == {"2021-Q1", "2021-Q4"}
    # A quarter put in before 2021-Q3 is what it is compared with now: 2021-Q3 is checked again.
    after = {**labels, "2021-Q2": ("a", "b", "c", "d")}
    assert still_found(found, labels, after, ["2021-Q2"]).keys() == {"2021-Q1", "2021-Q4"}
    # Labels an import gives a quarter that had none (an old workbook's): checked again.
    before = {p: v for p, v in labels.items() if p != "2021-Q4"}
    assert still_found(found, before, labels, []).keys() == {"2021-Q1", "2021-Q3"}


def _marker(period: str) -> Finding:
    return Finding("control_characters", period, "Zeeland", None, None, None, "uit de PDF", None, "warning")

