"""Worksheet functions: =KP_COVERAGE("Alkmaar") and friends, answered from the history store.

The store is read once into a `QueryIndex` index; answers are then memoised per argument tuple,
so recalculating thousands of cells costs a dict lookup each. The cache reloads when the store
changes: at once after a ribbon import (which calls `reset()`), and within `RECHECK_SECONDS`
after any other write (`xlkp import` on the command line).

Which store: env XLKP_STORE; else the `XLKP_STORE` row of the calling workbook's `xlwings.conf`
sheet, which only classic xlwings on Windows can read from inside a function (`Book.caller()`),
read once per Excel session; else the per-user default (see `xlkp.store.default_store_path`).

Errors: a function raises `KPFormulaError`, a subclass of `xlwings.XlwingsError`. Classic
xlwings shows its message in the cell; xlwings Server/Lite answer #VALUE! with the message,
and pass only XlwingsError messages through unchanged (others become a generic text).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from time import monotonic
from typing import Any

import xlwings as xw

from ..errors import XlkpError
from ..model import TOTAL_INDEX
from ..query import LookupFailure, QueryIndex
from ..store import STORE_ENV, Store, StoreError, change_token, default_store_path
from .settings import configured_store

RECHECK_SECONDS = 1.0
MEMO_LIMIT = 100_000  # distinct argument tuples kept; cleared beyond that

_AREA_DOC = (
    "Gemeente, arbeidsmarktregio of 'Nederland' (hoofdletters, accenten en spaties maken niet uit); "
    "een gemeente van na een herindeling telt vóór haar start als de som van haar voorgangers"
)
_PERIOD_DOC = "Kwartaal, bv. 2021-Q1, '2021 Q1' of 'Eerste kwartaal 2021'; leeg = het laatst geïmporteerde"


def _skip_pyodide_probe() -> None:
    """Outside Pyodide, tell xlwings once that no argument is Pyodide's JsNull.

    xlwings asks `is_jsnull(value)` of every argument of every call, and answers by trying
    `from pyodide.ffi import JsNull`: where that import fails it fails again each time, which
    is most of xlwings' own cost per formula (benchmarks/udfs.py). Where it succeeds (Pyodide,
    xlwings Lite), nothing is changed.
    """
    try:
        from pyodide.ffi import JsNull  # noqa: F401
    except ImportError:
        pass
    else:
        return
    try:
        from xlwings import utils
        from xlwings.conversion import standard
    except ImportError:
        return

    def is_jsnull(value) -> bool:
        return False

    for module in (utils, standard):
        if hasattr(module, "is_jsnull"):
            setattr(module, "is_jsnull", is_jsnull)  # noqa: B010 (not every xlwings has it)


_skip_pyodide_probe()


class KPFormulaError(XlkpError, xw.XlwingsError):
    """What the cell shows when a KP_ function has no answer (a Dutch message)."""


class _Failure:
    """A memoised 'no answer', so a wrong name costs no more than a right one on recalculation."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


_NO_BOOK = object()


class _Cache:
    def __init__(self) -> None:
        self.index: QueryIndex | None = None
        self.memo: dict = {}
        self.path: str | None = None
        self.env: str | None = None
        self.token: tuple | None = None
        self.checked_at = float("-inf")
        self.book_store: object = _NO_BOOK  # the workbook's xlwings.conf entry, once read


_cache = _Cache()


def reset() -> None:
    """Forget everything (tests; a changed xlwings.conf sheet)."""
    global _cache
    _cache = _Cache()


def store_path() -> str:
    """The store the functions read: env XLKP_STORE, the workbook's xlwings.conf, or the default."""
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        return str(default_store_path())
    cache = _cache
    if cache.book_store is _NO_BOOK:
        cache.book_store = _book_store()
    if isinstance(cache.book_store, StoreError):  # a setting pointing outside the workbook's folder
        raise KPFormulaError(str(cache.book_store))
    return str(cache.book_store or default_store_path())


def _book_store():
    """The calling workbook's XLKP_STORE setting; only classic xlwings on Windows has a caller."""
    book = _caller_book()
    if book is None:
        return None
    from xlwings.utils import read_config_sheet

    try:
        return configured_store(read_config_sheet(book), book.fullname)
    except StoreError as error:
        return error
    except Exception:  # an unreadable sheet is no reason to fail every cell
        return None


def _caller_book():
    if not sys.platform.startswith("win") or getattr(xw, "on_server", False):
        return None
    try:
        return xw.Book.caller()
    except Exception:
        return None


def _refresh() -> None:
    cache = _cache
    env = os.environ.get(STORE_ENV)
    path = store_path()
    token = change_token(path)
    if token is None:
        cache.index = None
        raise KPFormulaError(f"geen gegevens: nog niets geïmporteerd (opslag {path})")
    if cache.index is None or path != cache.path or token != cache.token:
        try:
            with Store.open(path, create=False) as store:
                generation, periods = store.outline()
        except StoreError as error:
            cache.index = None
            raise KPFormulaError(str(error)) from None
        # Each quarter is read when a question first needs it: the first answer costs one
        # quarter, however many the store holds.
        cache.index = QueryIndex(periods=periods, load=_period_loader(path, generation))
        cache.memo = {}
        cache.path, cache.token = path, token
    cache.env, cache.checked_at = env, monotonic()


class _StoreChanged(Exception):
    """The store was written between reading its outline and reading a quarter."""


def _period_loader(path: str, generation: int):
    def load(period: str):
        try:
            with Store.open(path, create=False) as store:
                state = store.state(period)
        except StoreError as error:
            raise KPFormulaError(str(error)) from None
        if state.generation != generation:
            raise _StoreChanged
        return state.sections, state.findings, state.national

    return load


# One question at a time: the cache is rebuilt and filled quarter by quarter as questions come,
# and a host may ask from several threads (a half-filled quarter must not be read as absent).
_ONE_AT_A_TIME = threading.RLock()


def _call(name: str, *args):
    with _ONE_AT_A_TIME:
        return _call_alone(name, *args)


def _call_alone(name: str, *args):
    cache = _cache
    if (
        cache.index is None
        or monotonic() - cache.checked_at >= RECHECK_SECONDS
        or os.environ.get(STORE_ENV) != cache.env
    ):
        _refresh()
        cache = _cache
    key = (name, *args)
    try:
        result = cache.memo[key]
    except KeyError:
        if len(cache.memo) >= MEMO_LIMIT:
            cache.memo.clear()
        result = cache.memo[key] = _answer(name, args)
    except TypeError:  # unhashable: a range where one cell was meant
        result = _answer(name, args)
    if type(result) is _Failure:
        raise KPFormulaError(result.message)
    if type(result) is list:  # callers may change what they get; the memo keeps its own
        return [list(row) for row in result]
    return result


def _answer(name: str, args: tuple):
    """The answer from the cached index; read afresh once if the store changed meanwhile."""
    try:
        return _evaluate(_loaded(), name, args)
    except _StoreChanged:
        _cache.index = None
        _refresh()
        return _evaluate(_loaded(), name, args)


def _loaded() -> QueryIndex:
    index = _cache.index
    assert index is not None  # _refresh() sets it or raises
    return index


def _evaluate(index: QueryIndex, name: str, args: tuple):
    try:
        for arg in args:
            if isinstance(arg, (list, tuple)):
                raise LookupFailure("geef één waarde op, geen bereik van cellen")
        return _ANSWERS[name](index, *args)
    except LookupFailure as failure:
        return _Failure(str(failure))


def _value(h: QueryIndex, area, column, period):
    found = h.area(area, period)
    return h.value(found, h.column(h.labels(found), column))


def _region(h: QueryIndex, municipality):
    # A municipality that has since merged away still has a region: look back through the quarters.
    failure = None
    for period in reversed(h.periods):
        try:
            return h.region_name(h.area(municipality, period))
        except LookupFailure as error:
            failure = failure or error
    raise failure or LookupFailure("geen gegevens: importeer eerst een publicatie")


_ANSWERS: dict[str, Callable[..., Any]] = {
    "coverage": lambda h, area, period: h.coverage(h.area(area, period)),
    "total": lambda h, area, period: h.value(h.area(area, period), TOTAL_INDEX),
    # keyed on the column's type too: TRUE == 1 in Python, but not in a formula
    "value": lambda h, area, column, _type, period: _value(h, area, column, period),
    "register": lambda h, area, period: h.register(h.area(area, period)),
    "region": _region,
    "check": lambda h, area, period: h.check(h.area(area, period)),
    "table": lambda h, area, period: h.table(h.area(area, period)),
    "periods": lambda h: [[p] for p in h.periods],
}


# ---- the worksheet functions ---------------------------------------------------------------
# Docstrings and argument docs are what Excel's function wizard shows: Dutch, for the user.


@xw.func
@xw.arg("area", doc=_AREA_DOC)
@xw.arg("period", doc=_PERIOD_DOC)
def KP_COVERAGE(area, period=None):
    """Deel van het doelgroepregister dat bekend is in Sonar (TOTAAL AMR / doelgroepregister), als fractie: maak de cel op als percentage. Voor een gemeente is dit het cijfer van haar arbeidsmarktregio, want de publicatie geeft het doelgroepregister alleen per regio. 'Nederland' = de landelijke tabel van de publicatie, anders alle 35 regio's samen; met minder regio's een foutmelding."""
    return _call("coverage", area, period)


@xw.func
@xw.arg("area", doc=_AREA_DOC)
@xw.arg("period", doc=_PERIOD_DOC)
def KP_TOTAL(area, period=None):
    """Totaal aantal personen van een gemeente, regio (TOTAAL AMR) of Nederland. Een later gevormde gemeente is vóór haar start de som van haar voorgangers in dat kwartaal: Dijk en Waard in 2021 = Heerhugowaard + Langedijk, op de indeling van 2022."""
    return _call("total", area, period)


@xw.func
@xw.arg("area", doc=_AREA_DOC)
@xw.arg("column", doc="Kolom: de naam zoals gedrukt, een nummer 1-4, of 'Totaal'")
@xw.arg("period", doc=_PERIOD_DOC)
def KP_VALUE(area, column, period=None):
    """Eén getal uit de tabel: de kolom van een gemeente, van de regel TOTAAL AMR van een regio, of van Nederland. Een later gevormde gemeente is vóór haar start de som van haar voorgangers (op de indeling van dat jaar)."""
    return _call("value", area, column, type(column), period)


@xw.func
@xw.arg("region", doc="Arbeidsmarktregio (of een gemeente: dan haar regio) of 'Nederland'")
@xw.arg("period", doc=_PERIOD_DOC)
def KP_REGISTER(region, period=None):
    """Aantal personen in het doelgroepregister banenafspraak van een arbeidsmarktregio. Voor een gemeente: dat van haar regio (de publicatie geeft het alleen per regio)."""
    return _call("register", region, period)


@xw.func
@xw.arg("municipality", doc="Gemeente, zoals gedrukt of met een bekende variant")
def KP_REGION(municipality):
    """De arbeidsmarktregio van een gemeente, volgens het laatste kwartaal waarin zij voorkomt."""
    return _call("region", municipality)


@xw.func
@xw.arg("area", doc=_AREA_DOC)
@xw.arg("period", doc=_PERIOD_DOC)
def KP_CHECK(area, period=None):
    """'OK' als alle totalen van de gemeente, regio of Nederland kloppen in de opgeslagen publicatie (zoals geïmporteerd; wijzigingen in de bladen tellen niet mee); anders de bevindingen. Cijfers uit een voorbeeldpublicatie (xlkp sample) beginnen met 'VOORBEELD – fictieve cijfers'."""
    return _call("check", area, period)


@xw.func
def KP_PERIODS():
    """De geïmporteerde kwartalen, oudste eerst, als kolom."""
    return _call("periods")


@xw.func
@xw.arg("region", doc="Arbeidsmarktregio (of een gemeente: dan haar regio); 'Nederland' geeft een regel per regio")
@xw.arg("period", doc=_PERIOD_DOC)
def KP_TABLE(region, period=None):
    """De tabel van een arbeidsmarktregio met kopregel, gemeenten en TOTAAL AMR, als dynamische matrix."""
    return _call("table", region, period)


__all__ = [
    "KPFormulaError",
    "KP_CHECK",
    "KP_COVERAGE",
    "KP_PERIODS",
    "KP_REGION",
    "KP_REGISTER",
    "KP_TABLE",
    "KP_TOTAL",
    "KP_VALUE",
    "RECHECK_SECONDS",
    "reset",
    "store_path",
]
