"""Checks look at one quarter at a time (but for column labels, compared with the quarter before):
what an import stores for its quarters relies on it."""

from xlkp.checks import check_sections
from xlkp.importer import findings_of
from xlkp.samples import sample_sections
from xlkp.samples.defects import inject_sample_defects


def test_findings_of_some_quarters_equal_checking_them_alone():
    old, new = sample_sections("2021-Q1"), sample_sections("2021-Q2")
    inject_sample_defects(old)
    inject_sample_defects(new)
    del new[5]  # a region missing from the new quarter only
    together = check_sections(old + new)
    assert findings_of(together, ["2021-Q2"]) == check_sections(new)
    assert findings_of(together, ["2021-Q1"]) == check_sections(old)
    assert {f.kind for f in check_sections(new)} >= {"row_total", "column_total", "incomplete_publication"}


def test_findings_come_a_quarter_at_a_time_and_known_quarters_are_taken_as_they_are():
    quarters = [sample_sections(p) for p in ("2021-Q1", "2021-Q2", "2021-Q3")]
    for sections in quarters:
        inject_sample_defects(sections)
    together = check_sections([s for q in quarters for s in q])
    assert [f.period for f in together] == sorted(f.period for f in together)
    # What an earlier import found (here: something no check of these figures finds) stays.
    earlier = check_sections(quarters[1])[:1] + [check_sections(quarters[0])[0]]
    known = check_sections([s for q in quarters for s in q], known={"2021-Q2": earlier})
    assert known == findings_of(together, ["2021-Q1"]) + earlier + findings_of(together, ["2021-Q3"])
