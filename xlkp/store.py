"""The history store: every imported quarter's sections and findings, in one SQLite file.

This is the one module that knows SQL. Each write is one transaction, so a crash halfway
through an import leaves the previous state; re-importing a period replaces it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .model import Finding, Row, Section
from .periods import parse_period

STORE_ENV = "XLKP_STORE"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS imports (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
-- One row per region per quarter. Municipalities live in `rows`, not in a fixed list,
-- because they merge and split between quarters.
CREATE TABLE IF NOT EXISTS sections (
    id                       INTEGER PRIMARY KEY,
    period                   TEXT NOT NULL,
    position                 INTEGER NOT NULL,
    region                   TEXT,
    region_as_printed        TEXT NOT NULL,
    footnote_region          TEXT,
    register                 INTEGER,
    coverage_percent_printed INTEGER,
    columns                  TEXT,
    pages                    TEXT NOT NULL,
    import_id                INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX IF NOT EXISTS sections_period ON sections(period, position);
CREATE TABLE IF NOT EXISTS rows (
    section_id   INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,  -- -1 is the TOTAAL AMR row
    municipality TEXT NOT NULL,
    value_1      INTEGER NOT NULL,
    value_2      INTEGER NOT NULL,
    value_3      INTEGER NOT NULL,
    value_4      INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    page         INTEGER,
    PRIMARY KEY (section_id, position)
);
CREATE TABLE IF NOT EXISTS findings (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    region       TEXT NOT NULL,
    municipality TEXT,
    printed      INTEGER,
    computed     INTEGER,
    message      TEXT NOT NULL,
    column_label TEXT,
    import_id    INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX IF NOT EXISTS findings_period ON findings(period);
"""

_TOTAL_POSITION = -1


class StoreError(Exception):
    """A store that cannot be used; the message is one line for the user."""


def default_store_path() -> Path:
    """XLKP_STORE, else a per-user data directory (no platformdirs needed for three cases)."""
    configured = os.environ.get(STORE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "xlkp" / "store.sqlite"


def change_token(path: str | Path) -> tuple[int, int, int] | None:
    """A cheap fingerprint that changes with every committed write; None when there is no store.

    mtime alone is too coarse on some file systems, so it is paired with SQLite's own
    file change counter (header bytes 24-27), which every commit in rollback-journal mode bumps.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(28)
            stat = os.fstat(handle.fileno())
    except OSError:
        return None
    counter = int.from_bytes(header[24:28], "big") if len(header) == 28 else 0
    return (stat.st_mtime_ns, stat.st_size, counter)


class Store:
    """Sections and findings per quarter. Open with `Store.open(path)`; close when done."""

    # Bumped by every write in this process, so an in-process cache (the UDFs next to a
    # ribbon import) notices at once without touching the file.
    local_writes = 0

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path

    # ---- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True) -> Store:
        """Open (and with `create`, make) the store at `path`; None means `default_store_path()`."""
        path = Path(path).expanduser() if path is not None else default_store_path()
        if not create and not path.is_file():
            raise StoreError(f"{path}: nog niets geïmporteerd (geen opslag gevonden)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"{path}: opslag niet te openen ({error})") from None
        store = cls(db, path)
        try:
            store._prepare()
        except sqlite3.DatabaseError as error:
            db.close()
            raise StoreError(f"{path}: geen bruikbare xlkp-opslag ({error})") from None
        return store

    def _prepare(self) -> None:
        db = self._db
        db.execute("PRAGMA foreign_keys = ON")
        # Rollback journal (not WAL): the main file changes at every commit, which is what
        # change_token() watches.
        db.execute("PRAGMA journal_mode = DELETE")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: gemaakt door een nieuwere xlkp (schema {version}); werk xlkp bij"
            )
        # executescript() commits on its own, so the schema is created statement by statement
        # inside one transaction (IF NOT EXISTS: two first openers may race).
        if version < SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writing ----------------------------------------------------------------------------

    def replace_periods(self, sections: list[Section], findings: list[Finding], source: str) -> None:
        """Store `sections` and `findings`, replacing every period present in `sections`.

        One transaction: on any error (or a crash) the store keeps its previous state.
        """
        periods = sorted({_period(s.period) for s in sections})
        stray = sorted({f.period for f in findings} - set(periods))
        if stray:
            raise ValueError(f"findings for periods without sections: {', '.join(stray)}")
        if not periods:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            marks = ",".join("?" * len(periods))
            db.execute(f"DELETE FROM rows WHERE section_id IN (SELECT id FROM sections WHERE period IN ({marks}))", periods)
            db.execute(f"DELETE FROM sections WHERE period IN ({marks})", periods)
            db.execute(f"DELETE FROM findings WHERE period IN ({marks})", periods)
            now = datetime.now(UTC).isoformat(timespec="seconds")
            import_id = db.execute(
                "INSERT INTO imports(source, imported_at) VALUES (?, ?)", (source, now)
            ).lastrowid
            self._insert_sections(sections, import_id)
            db.executemany(
                "INSERT INTO findings(period, kind, region, municipality, printed, computed,"
                " message, column_label, import_id) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (f.period, f.kind, f.region, f.municipality, f.printed, f.computed,
                     f.message, f.column, import_id)
                    for f in findings
                ],
            )
            db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        Store.local_writes += 1

    def _insert_sections(self, sections: Iterable[Section], import_id: int) -> None:
        db = self._db
        position: dict[str, int] = {}
        for section in sections:
            period = _period(section.period)
            position[period] = position.get(period, 0) + 1
            section_id = db.execute(
                "INSERT INTO sections(period, position, region, region_as_printed,"
                " footnote_region, register, coverage_percent_printed, columns, pages, import_id)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    period,
                    position[period],
                    section.region,
                    section.region_as_printed,
                    section.footnote_region,
                    section.register,
                    section.coverage_percent_printed,
                    json.dumps(list(section.columns), ensure_ascii=False) if section.columns else None,
                    json.dumps(list(section.pages)),
                    import_id,
                ),
            ).lastrowid
            rows = [(i, r) for i, r in enumerate(section.rows)]
            if section.region_total is not None:
                rows.append((_TOTAL_POSITION, section.region_total))
            db.executemany(
                "INSERT INTO rows(section_id, position, municipality, value_1, value_2, value_3,"
                " value_4, total, page) VALUES (?,?,?,?,?,?,?,?,?)",
                [(section_id, i, r.municipality, *r.values, r.total, r.page) for i, r in rows],
            )

    # ---- reading ----------------------------------------------------------------------------

    def periods(self) -> list[str]:
        """Imported quarters, oldest first."""
        return [p for (p,) in self._db.execute("SELECT DISTINCT period FROM sections ORDER BY period")]

    def latest_period(self) -> str | None:
        return self._db.execute("SELECT MAX(period) FROM sections").fetchone()[0]

    def sections(self, period: str | None = None) -> list[Section]:
        """The sections of one quarter, or of every quarter when `period` is None, in print order."""
        where, params = _where_period(period)
        records = self._db.execute(
            "SELECT id, period, region, region_as_printed, footnote_region, register,"
            f" coverage_percent_printed, columns, pages FROM sections {where}"
            " ORDER BY period, position",
            params,
        ).fetchall()
        rows: dict[int, list[tuple]] = {}
        for record in self._db.execute(
            "SELECT r.section_id, r.position, r.municipality, r.value_1, r.value_2, r.value_3,"
            " r.value_4, r.total, r.page FROM rows r JOIN sections s ON s.id = r.section_id"
            f" {where.replace('period', 's.period')} ORDER BY r.section_id, r.position",
            params,
        ):
            rows.setdefault(record[0], []).append(record[1:])
        sections = []
        for sid, period_, region, printed, footnote, register, percent, columns, pages in records:
            section = Section(
                period=period_,
                region=region,
                region_as_printed=printed,
                register=register,
                coverage_percent_printed=percent,
                columns=tuple(json.loads(columns)) if columns else None,
                pages=list(json.loads(pages)),
                footnote_region=footnote,
            )
            for position, name, v1, v2, v3, v4, total, page in rows.get(sid, []):
                row = Row(name, (v1, v2, v3, v4), total, page)
                if position == _TOTAL_POSITION:
                    section.region_total = row
                else:
                    section.rows.append(row)
            sections.append(section)
        return sections

    def findings(self, period: str | None = None) -> list[Finding]:
        where, params = _where_period(period)
        return [
            Finding(kind, period_, region, municipality, printed, computed, message, column)
            for period_, kind, region, municipality, printed, computed, message, column in self._db.execute(
                "SELECT period, kind, region, municipality, printed, computed, message,"
                f" column_label FROM findings {where} ORDER BY period, id",
                params,
            )
        ]

    def imports(self) -> list[tuple[str, str, str]]:
        """(period, source, imported_at) of the import that each stored period came from."""
        return list(
            self._db.execute(
                "SELECT DISTINCT s.period, i.source, i.imported_at FROM sections s"
                " JOIN imports i ON i.id = s.import_id ORDER BY s.period"
            )
        )

    def snapshot(self) -> tuple[int, list[Section], list[Finding]]:
        """Generation, sections and findings of every period, read as one consistent state."""
        self._db.execute("BEGIN")
        try:
            return self.generation(), self.sections(), self.findings()
        finally:
            self._db.execute("COMMIT")

    def generation(self) -> int:
        """A counter bumped by every write, kept in the file (so other processes see it too)."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def change_token(self) -> tuple[int, int, int] | None:
        return change_token(self.path)


def _period(text: str) -> str:
    key = parse_period(text)
    if key is None:
        raise ValueError(f"not a quarter: {text!r}")
    return key


def _where_period(period: str | None) -> tuple[str, tuple]:
    if period is None:
        return "", ()
    return "WHERE period = ?", (_period(period),)


__all__ = ["STORE_ENV", "Store", "StoreError", "change_token", "default_store_path"]
