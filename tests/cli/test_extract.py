"""`xlkp extract`: the shapes other tools read, and the exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from xlkp.cli import main
from xlkp.numbers import format_count
from xlkp.samples import render_pdf, sample_sections
from xlkp.samples.defects import inject_sample_defects


def test_json_shape_on_seed(seed_path, capsys):
    assert main(["extract", "--format", "json", str(seed_path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    [section] = payload["sections"]
    assert section["period"] == "2021-Q1"
    assert section["region"] == "Noord-Holland Noord"
    assert section["region_as_printed"] == "Noord-Holland (Noord)"
    assert section["pages"] == [1]
    assert section["columns"] is None
    assert section["rows"][0] == {"municipality": "Alkmaar", "values": [114, 388, 844, 144], "total": 1490}
    assert len(section["rows"]) == 18
    assert section["region_total"] == {"values": [456, 1839, 4135, 963], "total": 7393}
    assert section["register"] == 10187
    assert section["coverage_percent_printed"] == 73
    assert payload["national"] == []
    # One region of 35: a warning only, so --strict still exits 0.
    assert [(f["kind"], f["severity"], f["region"]) for f in payload["findings"]] == [
        ("incomplete_publication", "warning", None)
    ]
    assert main(["extract", "--strict", str(seed_path)]) == 0


def test_findings_and_strict(tmp_path, capsys):
    sections = sample_sections("2021-Q1")
    inject_sample_defects(sections)
    path = tmp_path / "fouten.pdf"
    render_pdf(sections, path)
    assert main(["extract", "--format", "json", str(path)]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    row = sections[0].rows[0]
    assert findings[0] == {
        "kind": "row_total",
        "severity": "error",
        "period": "2021-Q1",
        "region": "Groningen",
        "municipality": row.municipality,
        "printed": row.total,
        "computed": row.total - 10,
        "message": f"{row.municipality}: de vier aantallen tellen op tot "
        f"{format_count(row.total - 10)}, maar het totaal is {format_count(row.total)}.",
        "column": "Totaal",
    }
    assert sorted(f["kind"] for f in findings) == [
        "column_total", "column_total", "coverage_percent", "row_total"
    ]
    assert main(["extract", "--strict", str(path)]) == 1
    assert "4 bevindingen" in capsys.readouterr().out


def test_csv_is_tidy(tmp_path, capsys):
    sections = sample_sections("2021-Q2")[:3]
    path = tmp_path / "p.pdf"
    render_pdf(sections, path)
    assert main(["extract", "--format", "csv", str(path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = [(s.period, s.region, r.municipality, r.total) for s in sections for r in s.rows]
    assert [(r["Periode"], r["Regio"], r["Gemeente"], int(r["Totaal"])) for r in rows] == expected
    assert list(rows[0])[4:9] == ["Profiel UWV", "Profiel gemeente", "Profiel beide", "Zonder profiel", "Totaal"]


def test_console_script_runs(seed_path):
    done = subprocess.run(
        [sys.executable, "-m", "xlkp.cli", "extract", str(seed_path)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Noord-Holland Noord" in done.stdout and "72,6%" in done.stdout


def test_csv_never_carries_a_formula(tmp_path, capsys):
    from xlkp.samples import make_section

    names = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "Alkmaar"]
    section = make_section("2021-Q1", "Twente", [(n, (1, 2, 3, 4)) for n in names], 100)
    path = tmp_path / "injectie.pdf"
    render_pdf([section], path)
    assert main(["extract", "--format", "csv", str(path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["Gemeente"] for r in rows] == ["'" + n for n in names[:4]] + ["Alkmaar"]
