"""One language on the command line, and a README that lists exactly the commands and options there are."""

from __future__ import annotations

import argparse
import gettext
import re
from pathlib import Path

import pytest

from xlkp.cli import build_parser, main

README = Path(__file__).resolve().parents[2] / "README.md"
# What argparse says in English when its strings are not translated.
ENGLISH = ("usage:", "show this help", "positional arguments", "options:", "optional arguments",
           "required", "invalid choice", "error:", "expected one argument", "unrecognized")
# (argparse's own error and usage strings are checked through the messages below)


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """'extract' -> its parser, 'workbook build' -> its parser: every command that runs something."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _commands(sub, f"{prefix}{name} ")
                found.update(nested or {f"{prefix}{name}": sub})
    return found


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """Each option's spellings (-o, --output); -h is everywhere and needs no row."""
    return [
        tuple(action.option_strings)
        for action in parser._actions
        if action.option_strings and not isinstance(action, argparse._HelpAction)
    ]


def _readme_commands() -> dict[str, set[str]]:
    """The command table of the README: command -> the options its row names."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Command line"):]
    section = section[: section.index("\n## ", 1)]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `xlkp ([a-z]+(?: [a-z]+)?)\b([^`]*)`", line)
        if match:
            rows[match[1]] = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", match[0]))
    return rows


def test_the_readme_lists_every_command_and_option_and_no_other():
    commands = _commands(build_parser())
    documented = _readme_commands()
    assert sorted(documented) == sorted(commands), "README's command table and the CLI differ"
    for name, parser in commands.items():
        options = _options(parser)
        for spellings in options:
            assert documented[name] & set(spellings), f"xlkp {name}: {'/'.join(spellings)} is not in the README"
        stale = documented[name] - {o for spellings in options for o in spellings}
        assert not stale, f"xlkp {name}: the README names options that do not exist: {sorted(stale)}"


def test_every_argument_has_help():
    parser = build_parser()
    for name, sub in {"": parser, **_commands(parser)}.items():
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and action.help.strip(), f"xlkp {name}: {action.dest} has no help"


def test_help_of_every_command_is_dutch(capsys):
    parser = build_parser()
    texts = [parser.format_help()] + [sub.format_help() for sub in _commands(parser).values()]
    for text in texts:
        assert text.startswith("gebruik: xlkp")
        assert "toon deze hulp en stop" in text
        for english in ENGLISH:
            assert english not in text, text


def test_xlkp_alone_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: xlkp") and "opdrachten:" in out
    for command in ("extract", "import", "periods", "show", "forget", "sample", "workbook"):
        assert f"    {command} " in out
    assert main(["workbook"]) == 0
    assert "build" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["bestaatniet"], "xlkp: argument OPDRACHT: ongeldige keuze: 'bestaatniet'"),
        (["extract"], "xlkp extract: deze argumenten ontbreken: BESTAND (hulp: xlkp extract -h)"),
        (["import", "a.pdf"], "xlkp import: deze argumenten ontbreken: -o/--output"),
        (["extract", "--format", "xls", "a.pdf"], "xlkp extract: argument --format: ongeldige keuze: 'xls'"),
        (["sample", "x.pdf", "--seed", "een"], "xlkp sample: argument --seed: ongeldige waarde (geheel getal): 'een'"),
        (["sample", "x.pdf", "--period", "Q9"], "xlkp sample: argument --period: geen kwartaal: 'Q9'"),
        (["show"], "xlkp show: deze argumenten ontbreken: GEBIED"),
        (["periods", "--store"], "xlkp periods: argument --store: verwacht één waarde"),
        (["periods", "--nergens"], "xlkp: onbekende argumenten: --nergens (hulp: xlkp -h)"),
    ],
)
def test_argparse_errors_are_dutch(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(message)  # one line, as every error
    # argparse is itself again afterwards: other code in the process is not affected.
    assert argparse._ is gettext.gettext


def test_directory_is_not_a_file(tmp_path, capsys):
    assert main(["extract", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"xlkp: {tmp_path}: is een map, geen bestand\n"


def test_a_sample_of_one_region_with_errors_has_all_three(tmp_path, capsys):
    from xlkp.checks import check_publication, errors_of
    from xlkp.parse import read_publication

    out = tmp_path / "een.pdf"
    assert main(["sample", str(out), "--regions", "1", "--with-errors"]) == 0
    assert capsys.readouterr().err == ""
    publication = read_publication(out)
    assert [s.name for s in publication.sections] == ["Groningen"]
    kinds = {f.kind for f in errors_of(check_publication(publication))}
    assert kinds == {"row_total", "column_total", "coverage_percent"}
