"""Every way a file can be unusable: one line on stderr naming the file and the reason, exit 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from xlkp.cli import main
from xlkp.model import InputError
from xlkp.parse import read_publication
from xlkp.samples import render_pdf, sample_sections


@pytest.fixture
def good_pdf(tmp_path) -> Path:
    path = tmp_path / "goed.pdf"
    render_pdf(sample_sections("2021-Q1")[:2], path)
    return path


def _plain_pdf(path: Path, text: str, **kwargs) -> Path:
    pdf = canvas.Canvas(str(path), **kwargs)
    pdf.drawString(72, 700, text)
    pdf.save()
    return path


def _scanned_pdf(path: Path) -> Path:
    """A page that is only a picture of text, as a scanner makes it."""
    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((10, 10), "Eerste kwartaal 2021 Twente\nEnschede 1 2 3 4 10", fill=0)
    pdf = canvas.Canvas(str(path))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(buffer), 72, 500, width=450, height=150)
    pdf.save()
    return path


def _cases(tmp_path: Path, good_pdf: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    truncated = tmp_path / "afgebroken.pdf"
    truncated.write_bytes(good_pdf.read_bytes()[: good_pdf.stat().st_size // 2])
    not_pdf = tmp_path / "plaatje.pdf"
    not_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    other = tmp_path / "jaarverslag.pdf"
    notes = tmp_path / "notities.txt"
    notes.write_text("Boodschappen: melk, brood, 3 eieren\n", encoding="utf-8")
    return {
        "empty": (empty, "leeg bestand"),
        "truncated": (truncated, "afgebroken PDF"),
        "encrypted": (
            _plain_pdf(tmp_path / "geheim.pdf", "Transparantie", encrypt=StandardEncryption("geheim")),
            "versleutelde PDF",
        ),
        "scanned": (_scanned_pdf(tmp_path / "scan.pdf"), "geen tekstlaag"),
        "not_pdf": (not_pdf, "geen PDF-bestand"),
        "other_pdf": (_plain_pdf(other, "Jaarverslag 2021"), "geen tabellen van 'Transparantie"),
        "other_text": (notes, "geen tabellen van 'Transparantie"),
        "missing": (tmp_path / "bestaat-niet.pdf", "bestand niet gevonden"),
    }


CASES = ["empty", "truncated", "encrypted", "scanned", "not_pdf", "other_pdf", "other_text", "missing"]


@pytest.mark.parametrize("case", CASES)
def test_reader_names_file_and_reason(tmp_path, good_pdf, backend, case):
    path, reason = _cases(tmp_path, good_pdf)[case]
    with pytest.raises(InputError) as raised:
        read_publication(path, backend)
    assert raised.value.source == str(path)
    assert reason in raised.value.reason


@pytest.mark.parametrize("case", CASES)
def test_cli_one_line_exit_2(tmp_path, good_pdf, capsys, case):
    path, reason = _cases(tmp_path, good_pdf)[case]
    assert main(["extract", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"xlkp: {path}: ") and reason in line
    assert "Traceback" not in captured.err


def test_several_files_say_which_failed(tmp_path, good_pdf, capsys):
    cases = _cases(tmp_path, good_pdf)
    bad = [cases["empty"][0], cases["scanned"][0]]
    code = main(["extract", "--format", "json", str(good_pdf), *map(str, bad)])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.splitlines()
    assert [ln.split(": ")[1] for ln in lines[:2]] == [str(p) for p in bad]
    assert lines[2] == "xlkp: 2 van 3 bestanden niet gelezen"
    assert '"region": "Groningen"' in captured.out  # the good file is still reported


def test_a_pdf_pdfium_cannot_open_is_named_in_dutch(tmp_path):
    """Head and tail of a PDF around nothing readable: pdfium's load error, said in Dutch."""
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(32, 127)) * 20 + b"\n%%EOF\n")
    with pytest.raises(InputError) as raised:
        read_publication(path, "pdfium")
    assert raised.value.reason == "geen leesbare PDF (de opbouw van de PDF is beschadigd)"
