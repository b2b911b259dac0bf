"""pandas views of the data: the tidy table and the findings as frames, for CSV output.

pandas is imported where a frame is built, not at import: importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import Finding, Section, category_labels
from .report import FORMULA_START

if TYPE_CHECKING:
    import pandas as pd

VALUE_COLUMNS = ["value_1", "value_2", "value_3", "value_4"]
TIDY_COLUMNS = ["period", "region", "region_as_printed", "municipality", *VALUE_COLUMNS, "total", "page"]


def tidy_frame(sections: Iterable[Section]) -> pd.DataFrame:
    """One row per municipality per section, in print order."""
    import pandas as pd

    records = [
        (s.period, s.name, s.region_as_printed, r.municipality, *r.values, r.total, r.page)
        for s in sections
        for r in s.rows
    ]
    frame = pd.DataFrame.from_records(records, columns=TIDY_COLUMNS)
    return frame.astype({c: "int64" for c in [*VALUE_COLUMNS, "total"]}).astype({"page": "Int64"})


# In a CSV Excel also takes a cell starting with a tab or carriage return for a formula.
_CSV_FORMULA_START = (*FORMULA_START, "\t", "\r")


def _as_text(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_CSV_FORMULA_START) else value


def tidy_csv(sections: Iterable[Section]) -> pd.DataFrame:
    """The tidy table with the column names a user reads (category labels as printed).

    Text that Excel would take for a formula gets a leading apostrophe, as Excel itself shows
    literal text.
    """
    sections = list(sections)
    names = {
        "period": "Periode",
        "region": "Regio",
        "region_as_printed": "Regio (zoals gedrukt)",
        "municipality": "Gemeente",
        **dict(zip(VALUE_COLUMNS, category_labels(sections))),
        "total": "Totaal",
        "page": "Pagina",
    }
    frame = tidy_frame(sections)
    text = ["period", "region", "region_as_printed", "municipality"]
    frame[text] = frame[text].map(_as_text)
    return frame.rename(columns={k: _as_text(v) for k, v in names.items()})


FINDING_COLUMNS = {
    "severity": "Ernst",
    "kind": "Soort",
    "period": "Periode",
    "region": "Regio",
    "municipality": "Gemeente",
    "column": "Kolom",
    "printed": "Gedrukt",
    "computed": "Berekend",
    "message": "Melding",
}


def findings_csv(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding, with the column names a user reads; text guarded as in `tidy_csv`."""
    import pandas as pd

    from .report.text import SEVERITY_WORDS

    records = [{key: getattr(f, key) for key in FINDING_COLUMNS} for f in findings]
    for record in records:
        record["severity"] = SEVERITY_WORDS.get(record["severity"], record["severity"])
    frame = pd.DataFrame.from_records(records, columns=list(FINDING_COLUMNS))
    frame = frame.astype({"printed": "Int64", "computed": "Int64"})
    text = ["severity", "kind", "period", "region", "municipality", "column", "message"]
    frame[text] = frame[text].map(_as_text)
    return frame.rename(columns=FINDING_COLUMNS)
