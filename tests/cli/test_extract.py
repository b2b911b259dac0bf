"""`xlkp extract`: the shapes other tools read, and the exit codes."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys

from xlkp.cli import main
from xlkp.counts import format_count
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
    captured = capsys.readouterr()
    assert "4 bevindingen" in captured.out
    assert captured.err == "xlkp: --strict: 4 fouten, daarom exitcode 1\n"
    # In CSV too: stdout is for the data, stderr says why the exit code is 1.
    assert main(["extract", "--strict", "--format", "csv", str(path)]) == 1
    assert captured.err == capsys.readouterr().err


def test_findings_as_csv(tmp_path, capsys):
    sections = sample_sections("2021-Q1")
    inject_sample_defects(sections)
    path = tmp_path / "fouten.pdf"
    render_pdf(sections, path)
    assert main(["extract", "--format", "csv", "--findings", str(path)]) == 0
    rows = _csv_rows(capsys.readouterr().out)
    assert list(rows[0]) == ["Ernst", "Soort", "Periode", "Regio", "Gemeente", "Kolom", "Gedrukt", "Berekend", "Melding"]
    first = sections[0].rows[0]
    assert rows[0] == {
        "Ernst": "fout", "Soort": "row_total", "Periode": "2021-Q1", "Regio": "Groningen", "Gemeente": first.municipality,
        "Kolom": "Totaal", "Gedrukt": str(first.total), "Berekend": str(first.total - 10),
        "Melding": f"{first.municipality}: de vier aantallen tellen op tot "
        f"{format_count(first.total - 10)}, maar het totaal is {format_count(first.total)}.",
    }
    assert sorted(r["Soort"] for r in rows) == ["column_total", "column_total", "coverage_percent", "row_total"]
    assert next(r for r in rows if r["Soort"] == "coverage_percent")["Gemeente"] == ""
    assert main(["extract", "--format", "json", "--findings", str(path)]) == 0
    assert list(json.loads(capsys.readouterr().out)) == ["findings"]
    assert main(["extract", "--findings", str(path)]) == 0
    assert capsys.readouterr().out.startswith(
        "4 bevindingen (4 fouten, 0 waarschuwingen):\n  [fout: row_total] 2021-Q1 Groningen: "
    )


def _csv_rows(out: str) -> list[dict]:
    """CSV as Dutch Excel reads it: a BOM says UTF-8, cells are separated by ';'."""
    assert out.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(out[1:], newline=""), delimiter=";"))


def test_csv_is_tidy(tmp_path, capsys):
    sections = sample_sections("2021-Q2")[:3]
    path = tmp_path / "p.pdf"
    render_pdf(sections, path)
    assert main(["extract", "--format", "csv", str(path)]) == 0
    rows = _csv_rows(capsys.readouterr().out)
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


def test_extract_imports_only_what_reading_needs(tmp_path):
    """Imports were the larger part of what a whole `xlkp extract` process spends beyond
    pdfium's own work (benchmarks/extract.py): reading a PDF imports nothing that only other
    commands use, nor typing, dataclasses and inspect, nor pypdfium2's object layer."""
    path = tmp_path / "twee.pdf"
    render_pdf(sample_sections("2021-Q1")[:2], path)
    unwanted = ["typing", "dataclasses", "inspect", "pypdfium2", "pdfplumber", "pandas", "openpyxl",
                "xlwings", "xlkp.store", "xlkp.report", "xlkp.samples", "xlkp.importer"]
    probe = (
        "import sys\n"
        "from xlkp.cli import main\n"
        "code = main(['extract', '--format', 'json', sys.argv[1]])\n"
        "unwanted = sys.argv[2:]\n"
        "found = [m for m in sys.modules if any(m == u or m.startswith(u + '.') for u in unwanted)]\n"
        "print(code, sorted(found), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(path), *unwanted], capture_output=True, text=True)
    assert done.stderr == "0 []\n"
    assert json.loads(done.stdout)["sections"][1]["region"] == sample_sections("2021-Q1")[1].region


def test_csv_never_carries_a_formula(tmp_path, capsys):
    from xlkp.samples import make_section

    names = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "Alkmaar"]
    section = make_section("2021-Q1", "Twente", [(n, (1, 2, 3, 4)) for n in names], 100)
    path = tmp_path / "injectie.pdf"
    render_pdf([section], path)
    assert main(["extract", "--format", "csv", str(path)]) == 0
    rows = _csv_rows(capsys.readouterr().out)
    assert [r["Gemeente"] for r in rows] == ["'" + n for n in names[:4]] + ["Alkmaar"]


def test_csv_bytes_are_utf8_for_dutch_excel(tmp_path):
    """Through a real pipe: Súdwest-Fryslân survives, whatever the console's code page."""
    path = tmp_path / "friesland.pdf"
    render_pdf(sample_sections("2021-Q1")[1:2], path)
    done = subprocess.run(
        [sys.executable, "-m", "xlkp.cli", "extract", "--format", "csv", str(path)],
        capture_output=True, check=False, env={**os.environ, "PYTHONIOENCODING": "cp1252"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(codecs.BOM_UTF8)
    text = done.stdout.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Periode;Regio;Regio (zoals gedrukt);Gemeente;")
    assert ";Súdwest-Fryslân;" in text and "\r\n" in text


def test_counts_say_regions_and_tables_apart(tmp_path, capsys):
    path = tmp_path / "multi.pdf"
    assert main(["sample", str(path), "--period", "2021-Q1", "--period", "2021-Q2"]) == 0
    assert capsys.readouterr().out == (
        f"{path}: 35 regio's, 2 kwartalen (2021-Q1, 2021-Q2); elke pagina zegt 'VOORBEELD – fictieve cijfers'\n"
    )
    assert main(["extract", str(path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"{path}: 35 regio's in 2 kwartalen (70 regiotabellen) — VOORBEELD – fictieve cijfers"
    one = tmp_path / "een.pdf"
    render_pdf(sample_sections("2021-Q3")[:1], one)
    assert main(["extract", str(one)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{one}: 1 regio — VOORBEELD – fictieve cijfers"


def test_json_output_is_what_json_dumps_writes(tmp_path, capsys):
    """The faster indented writer gives json.dumps' bytes, for a publication with findings and
    for the values it leaves to json.dumps."""
    from xlkp.cli import indented_json

    sections = sample_sections("2021-Q1")[:3]
    inject_sample_defects(sections)
    sections[0].rows[0] = type(sections[0].rows[0])("Gemeente \"x\"\\ é –\x1c\t", (1, 2, 3, 4), 10)
    path = tmp_path / "fouten.pdf"
    render_pdf(sections, path)
    assert main(["extract", "--format", "json", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    for value in [{}, [], {"a": [[], {}, [None, True, False, -3, 10**30]]}, "\x00\x7f\u2028\ud800",
                  {"x": 1.5}, {"t": (1, 2)}, {1: "a"}, [float("nan")]]:
        assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
