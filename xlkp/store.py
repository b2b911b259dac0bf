"""The history store: every imported quarter's sections and findings, in one SQLite file.

This is the one module that knows SQL. Each write is one transaction, so a crash halfway
through an import leaves the previous state; re-importing a period replaces it.

The file is only ever opened through SQLite (closing any other descriptor of it would drop this
process's SQLite locks on POSIX). WAL journal and a busy timeout let readers and one writer work
side by side; readers open the file read-only and never create or change it. An import that also
writes a workbook first *stages* its quarters (with the new workbook's content hash), renames the
workbook into place and then applies them, so a crash in between is repaired on the next run.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import STORE_ENV
from .errors import XlkpError
from .model import Finding, NationalRow, NationalTable, Row, Section, as_dict, replace
from .periods import parse_period

# 1: sections, rows, findings. 2: pending (staged imports). 3: findings gain a severity and may
# concern no region (the whole publication); the national table per quarter. 4: each region's
# table keeps the file it was read from and whether that was a sample (fictitious figures).
SCHEMA_VERSION = 4
BUSY_TIMEOUT_SECONDS = 30

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
    region       TEXT,  -- NULL: about the whole publication
    municipality TEXT,
    printed      INTEGER,
    computed     INTEGER,
    message      TEXT NOT NULL,
    column_label TEXT,
    import_id    INTEGER NOT NULL REFERENCES imports(id),
    severity     TEXT NOT NULL DEFAULT 'error'
);
CREATE INDEX IF NOT EXISTS findings_period ON findings(period);
-- The publication's national table, at most one per quarter, and its lines.
CREATE TABLE IF NOT EXISTS national_tables (
    period                   TEXT PRIMARY KEY,
    register                 INTEGER,
    coverage_percent_printed INTEGER,
    columns                  TEXT,
    pages                    TEXT NOT NULL,
    import_id                INTEGER NOT NULL REFERENCES imports(id)
);
CREATE TABLE IF NOT EXISTS national_rows (
    period            TEXT NOT NULL REFERENCES national_tables(period) ON DELETE CASCADE,
    position          INTEGER NOT NULL,  -- -1 is the Nederland line
    region            TEXT,
    region_as_printed TEXT NOT NULL,
    value_1           INTEGER NOT NULL,
    value_2           INTEGER NOT NULL,
    value_3           INTEGER NOT NULL,
    value_4           INTEGER NOT NULL,
    total             INTEGER NOT NULL,
    register          INTEGER,
    percent           INTEGER,
    page              INTEGER,
    PRIMARY KEY (period, position)
);
-- Quarters an import has written to a workbook's temporary file but not yet applied here:
-- applied when the workbook holds that content (its rename happened), else dropped.
CREATE TABLE IF NOT EXISTS pending (
    id              INTEGER PRIMARY KEY,
    workbook        TEXT NOT NULL,
    workbook_sha256 TEXT NOT NULL,
    payload         TEXT NOT NULL
);
"""
# What a reader needs; a store without them is not (or no longer) an xlkp store.
_TABLES = ("meta", "imports", "sections", "rows", "findings")

# Schema 1 or 2 -> 3: findings.region loses NOT NULL (SQLite cannot alter a column, so the
# table is copied) and gains `severity`, filled from each kind's severity.
_MIGRATE_FINDINGS = (
    "ALTER TABLE findings RENAME TO findings_old",
    "DROP INDEX IF EXISTS findings_period",
)
_COPY_OLD_FINDINGS = (
    "INSERT INTO findings(id, period, kind, region, municipality, printed, computed, message,"
    " column_label, import_id, severity) SELECT id, period, kind, region, municipality, printed,"
    " computed, message, column_label, import_id, ? FROM findings_old WHERE kind = ?"
)
_FINDING_COLUMNS = "period, kind, region, municipality, printed, computed, message, column_label, severity"
_FINDINGS_WITH_SEVERITY = 3  # the first schema whose findings have a severity
# Schema 3 -> 4 (and a new store: _SCHEMA's sections table is schema 3's).
_ADD_ORIGIN = (
    "ALTER TABLE sections ADD COLUMN source TEXT",
    "ALTER TABLE sections ADD COLUMN sample INTEGER NOT NULL DEFAULT 0",
)

_TOTAL_POSITION = -1


class StoreError(XlkpError):
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


def change_token(path: str | Path) -> tuple | None:
    """A cheap fingerprint that changes with every committed write; None when there is no store.

    The file is never opened outside SQLite (closing such a descriptor would drop this
    process's SQLite locks on POSIX). `stat` notices a store replaced or removed; a read-only
    connection kept open per store asks SQLite's own `PRAGMA data_version`, which changes with
    every commit of another connection (file times are too coarse: two commits can share one).
    """
    try:
        status = os.stat(path)
    except OSError:
        _WATCHES.pop((os.getpid(), str(path)), None)
        return None
    identity = (status.st_dev, status.st_ino)
    key = (os.getpid(), str(path))  # a connection never crosses a fork
    watch = _WATCHES.get(key)
    if watch is None or watch[0] != identity:
        try:
            watch = (identity, _connect_read_only(Path(path)), next(_OPENINGS))
        except (sqlite3.Error, OSError):
            return (*identity, status.st_size, status.st_mtime_ns)
        _WATCHES[key] = watch
    try:
        version = watch[1].execute("PRAGMA data_version").fetchone()[0]
    except sqlite3.Error:
        _WATCHES.pop(key, None)
        return (*identity, status.st_size, status.st_mtime_ns)
    return (*identity, watch[2], version)


# (pid, path) -> (device and inode, read-only connection, opening number)
_WATCHES: dict[tuple[int, str], tuple[tuple[int, int], sqlite3.Connection, int]] = {}
_OPENINGS = itertools.count()


_DAMAGED = "beschadigd of geen SQLite-bestand"
_CHANGED = "tabellen ontbreken of zijn veranderd"
_UNUSABLE = (_DAMAGED, _CHANGED)


def _message(error: BaseException) -> str:
    """A Dutch reason for a SQLite or OS failure, for one line naming the store."""
    text = str(error).lower()
    if isinstance(error, OSError) and error.errno is not None:
        import errno

        if error.errno == errno.ENOSPC:
            return "schijf vol"
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "geen schrijfrechten"
        return error.strerror or type(error).__name__
    if "disk is full" in text or "disk full" in text:
        return "schijf vol"
    if "readonly" in text or "read-only" in text:
        return "alleen-lezen: geen schrijfrechten op de opslag of de map"
    if "locked" in text or "busy" in text:
        return f"na {BUSY_TIMEOUT_SECONDS} seconden nog bezet door een ander programma"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _DAMAGED
    if "no such table" in text or "no such column" in text:
        return _CHANGED
    if "unable to open" in text:
        return "niet te openen"
    if isinstance(error, OverflowError):
        return "getal te groot voor de opslag"
    return f"{type(error).__name__}: {error}"


@contextlib.contextmanager
def _failures(path: Path, doing: str) -> Iterator[None]:
    """SQLite and OS failures as one StoreError line naming the store."""
    try:
        yield
    except (StoreError, sqlite3.IntegrityError, sqlite3.ProgrammingError):
        raise  # ours already, or a bug in the caller's data: not a store problem
    except (sqlite3.Error, OSError, OverflowError) as error:
        reason = _message(error)
        if reason in _UNUSABLE:
            raise StoreError(f"{path}: geen bruikbare xlkp-opslag ({reason})") from None
        raise StoreError(f"{path}: {doing} mislukt ({reason})") from None


@dataclass
class StoreState:
    generation: int
    sections: list[Section]
    findings: list[Finding]
    national: list[NationalTable]


class Store:
    """Sections and findings per quarter. Open with `Store.open(path)`; close when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path
        self._version = SCHEMA_VERSION  # a read-only reader of an older store reads its schema

    # ---- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True) -> Store:
        """Open the store at `path` (None: `default_store_path()`).

        With `create` it is opened for writing (made if absent). Without, it is opened read-only:
        the file is never created or changed, and one that is not an xlkp store is an error.
        """
        path = Path(path).expanduser() if path is not None else default_store_path()
        _check_regular(path, must_exist=not create)
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
                db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            else:
                db = _connect_read_only(path)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"{path}: opslag niet te openen ({_message(error)})") from None
        store = cls(db, path)
        try:
            with _failures(path, "opslag openen"):
                store._prepare() if create else store._check_readable()
        except BaseException:
            db.close()
            raise
        return store

    def _check_readable(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        self._check_version(version)
        self._version = version
        present = self._tables()
        if not present:
            raise StoreError(f"{self.path}: geen xlkp-opslag (geen tabellen; nog niets geïmporteerd?)")
        if version == 0 and not present & set(_TABLES):
            raise StoreError(f"{self.path}: geen xlkp-opslag (een andere SQLite-database)")
        self._check_tables(present)

    def _tables(self) -> set[str]:
        return {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _check_tables(self, present: set[str]) -> None:
        missing = [t for t in _TABLES if t not in present]
        if missing:
            raise StoreError(
                f"{self.path}: geen bruikbare xlkp-opslag (tabel {', '.join(missing)} ontbreekt)"
            )
        if self._db.execute("SELECT 1 FROM meta WHERE key = 'generation'").fetchone() is None:
            raise StoreError(f"{self.path}: geen bruikbare xlkp-opslag (kenmerk ontbreekt)")

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: gemaakt door een nieuwere xlkp (schema {version}); werk xlkp bij"
            )

    def _prepare(self) -> None:
        db = self._db
        db.execute("PRAGMA foreign_keys = ON")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        self._check_version(version)
        present = self._tables()
        if version == 0 and present:
            raise StoreError(f"{self.path}: geen xlkp-opslag (een andere SQLite-database)")
        if version and not set(_TABLES) <= present:
            self._check_tables(present)
        # WAL: readers see the last commit while one writer works; FULL: a commit is on disk.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        # executescript() commits on its own, so the schema is created statement by statement
        # inside one transaction (IF NOT EXISTS: two first openers may race, and an older
        # store only gains the tables it lacks).
        if version < SCHEMA_VERSION:
            with self._writing("opslag openen"):
                # Read again inside the write lock: another opener may have migrated meanwhile.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                old_findings = 0 < version < _FINDINGS_WITH_SEVERITY
                if old_findings:
                    for statement in _MIGRATE_FINDINGS:
                        db.execute(statement)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                if old_findings:
                    from .checks import severity

                    kinds = [k for (k,) in db.execute("SELECT DISTINCT kind FROM findings_old")]
                    db.executemany(_COPY_OLD_FINDINGS, [(severity(k), k) for k in kinds])
                    db.execute("DROP TABLE findings_old")
                if version < 4:
                    for statement in _ADD_ORIGIN:
                        db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextlib.contextmanager
    def _writing(self, doing: str = "opslag bijwerken") -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back on any error (if SQLite
        has not already), so the store keeps its previous state; failures as one StoreError line."""
        db = self._db
        with _failures(self.path, doing):
            db.execute("BEGIN IMMEDIATE")
            try:
                yield
                db.execute("COMMIT")
            except BaseException:
                # A full disk or an I/O error rolls the transaction back by itself; a second
                # ROLLBACK would hide the real error behind "no transaction is active".
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise

    def _count_change(self) -> None:
        """Bump the generation, in the file, so a reader of another connection sees the change."""
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writing ----------------------------------------------------------------------------

    def replace_periods(
        self,
        sections: list[Section],
        findings: list[Finding],
        source: str,
        national: Iterable[NationalTable] = (),
    ) -> None:
        """Store `sections`, `national` tables and `findings`, replacing every period present
        in `sections` or `national`.

        One transaction: on any error (or a crash) the store keeps its previous state.
        """
        national = list(national)
        periods = _periods_of(sections, national)
        stray = sorted({f.period for f in findings} - set(periods))
        if stray:
            raise ValueError(f"findings for periods without sections: {', '.join(stray)}")
        if not periods:
            return
        with self._writing():
            self._replace(periods, sections, findings, source, national)

    def _replace(
        self, periods: list[str], sections: list[Section], findings: list[Finding], source: str,
        national: list[NationalTable],
    ) -> None:
        db = self._db
        self._delete_periods(periods)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        import_id = db.execute(
            "INSERT INTO imports(source, imported_at) VALUES (?, ?)", (source, now)
        ).lastrowid
        assert import_id is not None  # an INSERT sets it
        # A table without its own file (built in memory) is credited to the run's files.
        self._insert_sections(
            [s if s.source else replace(s, source=source) for s in sections], import_id
        )
        self._insert_national(national, import_id)
        db.executemany(
            f"INSERT INTO findings({_FINDING_COLUMNS}, import_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (f.period, f.kind, f.region, f.municipality, f.printed, f.computed,
                 f.message, f.column, f.severity, import_id)
                for f in findings
            ],
        )
        self._count_change()

    # ---- staging: the half of an import that waits for its workbook's rename ------------------

    def stage(
        self, workbook: str | Path, workbook_sha256: str, sections: list[Section],
        findings: list[Finding], source: str, national: Iterable[NationalTable] = (),
    ) -> int | None:
        """Record (committed) what `replace_periods` should do once `workbook` has the content
        `workbook_sha256`; nothing a reader sees changes yet. Returns the id for `apply_staged`."""
        payload = json.dumps(
            {
                "sections": [as_dict(s) for s in sections],
                "findings": [as_dict(f) for f in findings],
                "national": [as_dict(t) for t in national],
                "source": source,
            },
            ensure_ascii=False,
        )
        if not sections and not national:
            return None
        with self._writing():
            return self._db.execute(
                "INSERT INTO pending(workbook, workbook_sha256, payload) VALUES (?, ?, ?)",
                (str(workbook), workbook_sha256, payload),
            ).lastrowid

    def apply_staged(self, staged_id: int | None) -> None:
        """Make a staged import visible, in one transaction with dropping it."""
        if staged_id is None:
            return
        with self._writing():
            (payload,) = self._db.execute("SELECT payload FROM pending WHERE id = ?", (staged_id,)).fetchone()
            data = json.loads(payload)
            sections = [_section_from_dict(d) for d in data["sections"]]
            findings = [Finding(**d) for d in data["findings"]]
            national = [_national_from_dict(d) for d in data.get("national", [])]
            self._replace(_periods_of(sections, national), sections, findings, data["source"], national)
            self._db.execute("DELETE FROM pending WHERE id = ?", (staged_id,))

    def drop_staged(self, staged_id: int | None) -> None:
        if staged_id is None:
            return
        with self._writing():
            self._db.execute("DELETE FROM pending WHERE id = ?", (staged_id,))

    def staged(self) -> list[tuple[int, str, str]]:
        """(id, workbook, its expected sha256) of every import interrupted between stage and apply."""
        with _failures(self.path, "opslag lezen"):
            return list(self._db.execute("SELECT id, workbook, workbook_sha256 FROM pending ORDER BY id"))

    def _delete_periods(self, periods: list[str]) -> None:
        db, marks = self._db, ",".join("?" * len(periods))
        db.execute(f"DELETE FROM rows WHERE section_id IN (SELECT id FROM sections WHERE period IN ({marks}))", periods)
        db.execute(f"DELETE FROM sections WHERE period IN ({marks})", periods)
        db.execute(f"DELETE FROM findings WHERE period IN ({marks})", periods)
        db.execute(f"DELETE FROM national_rows WHERE period IN ({marks})", periods)
        db.execute(f"DELETE FROM national_tables WHERE period IN ({marks})", periods)

    def forget_periods(self, periods: Iterable[str]) -> list[str]:
        """Remove quarters (their sections, rows and findings) in one transaction; the ones removed."""
        wanted = sorted({_period(p) for p in periods})
        with self._writing():
            stored = {p for (p,) in self._db.execute("SELECT DISTINCT period FROM sections")}
            present = [p for p in wanted if p in stored]
            if present:
                self._delete_periods(present)
                self._count_change()
        return present

    def _insert_sections(self, sections: Iterable[Section], import_id: int) -> None:
        db = self._db
        position: dict[str, int] = {}
        for section in sections:
            period = _period(section.period)
            position[period] = position.get(period, 0) + 1
            section_id = db.execute(
                "INSERT INTO sections(period, position, region, region_as_printed,"
                " footnote_region, register, coverage_percent_printed, columns, pages, import_id,"
                " source, sample) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    section.source,
                    int(section.sample),
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

    def _insert_national(self, tables: list[NationalTable], import_id: int) -> None:
        db = self._db
        for table in tables:
            period = _period(table.period)
            db.execute(
                "INSERT INTO national_tables(period, register, coverage_percent_printed, columns, pages,"
                " import_id) VALUES (?,?,?,?,?,?)",
                (
                    period,
                    table.register,
                    table.coverage_percent_printed,
                    json.dumps(list(table.columns), ensure_ascii=False) if table.columns else None,
                    json.dumps(list(table.pages)),
                    import_id,
                ),
            )
            rows = list(enumerate(table.rows))
            if table.total is not None:
                rows.append((_TOTAL_POSITION, table.total))
            db.executemany(
                "INSERT INTO national_rows(period, position, region, region_as_printed, value_1, value_2,"
                " value_3, value_4, total, register, percent, page) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (period, i, r.region, r.region_as_printed, *r.values, r.total, r.register, r.percent, r.page)
                    for i, r in rows
                ],
            )

    # ---- reading ----------------------------------------------------------------------------

    @property
    def _has_national(self) -> bool:
        return self._version >= _FINDINGS_WITH_SEVERITY

    def periods(self) -> list[str]:
        """Imported quarters, oldest first."""
        union = " UNION SELECT period FROM national_tables" if self._has_national else ""
        return [p for (p,) in self._db.execute(f"SELECT DISTINCT period FROM sections{union} ORDER BY period")]

    def national(self, period: str | None = None) -> list[NationalTable]:
        """The national tables of one quarter (none or one), or of every quarter."""
        if not self._has_national:
            return []
        where, params = _where_period(period)
        tables: dict[str, NationalTable] = {}
        for period_, register, percent, columns, pages in self._db.execute(
            "SELECT period, register, coverage_percent_printed, columns, pages FROM national_tables"
            f" {where} ORDER BY period",
            params,
        ):
            tables[period_] = NationalTable(
                period=period_,
                register=register,
                coverage_percent_printed=percent,
                columns=tuple(json.loads(columns)) if columns else None,
                pages=list(json.loads(pages)),
            )
        for period_, position, region, printed, v1, v2, v3, v4, total, register, percent, page in self._db.execute(
            "SELECT period, position, region, region_as_printed, value_1, value_2, value_3, value_4,"
            f" total, register, percent, page FROM national_rows {where} ORDER BY period, position",
            params,
        ):
            row = NationalRow(region, printed, (v1, v2, v3, v4), total, register, percent, page)
            if position == _TOTAL_POSITION:
                tables[period_].total = row
            else:
                tables[period_].rows.append(row)
        return list(tables.values())

    def labels(self) -> dict[str, tuple[str, ...]]:
        """Per quarter, the category labels its sections printed (see checks.period_labels)."""
        from .checks import period_labels

        with _failures(self.path, "opslag lezen"):
            return period_labels(
                Section(period, None, "", columns=tuple(json.loads(columns)))
                for period, columns in self._db.execute(
                    "SELECT period, columns FROM sections WHERE columns IS NOT NULL ORDER BY period, position"
                ).fetchall()
            )

    def latest_labels(self, before: str | None = None) -> tuple[str, ...] | None:
        """The labels of the most recent quarter that printed any (before `before`, if given)."""
        known = {p: labels for p, labels in self.labels().items() if before is None or p < before}
        return known[max(known)] if known else None

    def sections(self, period: str | None = None) -> list[Section]:
        """The sections of one quarter, or of every quarter when `period` is None, in print order."""
        where, params = _where_period(period)
        records = self._db.execute(
            "SELECT id, period, region, region_as_printed, footnote_region, register,"
            f" coverage_percent_printed, columns, pages, {self._origin()} FROM sections {where}"
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
        for sid, period_, region, printed, footnote, register, percent, columns, pages, source, sample in records:
            section = Section(
                period=period_,
                region=region,
                region_as_printed=printed,
                register=register,
                coverage_percent_printed=percent,
                columns=tuple(json.loads(columns)) if columns else None,
                pages=list(json.loads(pages)),
                footnote_region=footnote,
                source=source,
                sample=bool(sample),
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
        if not self._has_national:  # an older store, read-only: severity from the kind
            from .checks import severity

            return [
                Finding(kind, period_, region, municipality, printed, computed, message, column, severity(kind))
                for kind, period_, region, municipality, printed, computed, message, column in self._db.execute(
                    "SELECT kind, period, region, municipality, printed, computed, message, column_label"
                    f" FROM findings {where} ORDER BY period, id",
                    params,
                )
            ]
        return [
            Finding(*record)
            for record in self._db.execute(
                "SELECT kind, period, region, municipality, printed, computed, message, column_label,"
                f" severity FROM findings {where} ORDER BY period, id",
                params,
            )
        ]

    def imports(self) -> list[tuple[str, str, str]]:
        """(period, source, imported_at) of the import that each stored period came from."""
        union = (
            " UNION SELECT n.period, i.source, i.imported_at FROM national_tables n"
            " JOIN imports i ON i.id = n.import_id"
            if self._has_national
            else ""
        )
        with _failures(self.path, "opslag lezen"):
            return list(
                self._db.execute(
                    "SELECT s.period, i.source, i.imported_at FROM sections s"
                    f" JOIN imports i ON i.id = s.import_id{union} ORDER BY 1"
                )
            )

    def _origin(self, table: str = "") -> str:
        """The columns `source, sample` of `sections`; a store older than schema 4 read as it is (never
        migrated) has neither: its tables came from no sample that anyone could know of."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sections)")}
        prefix = f"{table}." if table else ""
        return f"{prefix}source, {prefix}sample" if "sample" in columns else "NULL, 0"

    def quarters(self) -> list[Quarter]:
        """What each stored quarter holds and where it came from, oldest quarter first."""
        with _failures(self.path, "opslag lezen"):
            return self._quarters()

    def _quarters(self) -> list[Quarter]:
        origin = self._origin("s")
        records = self._db.execute(
            "SELECT s.period, s.region, s.region_as_printed, s.pages, i.source, i.imported_at,"
            " (SELECT COUNT(*) FROM rows r WHERE r.section_id = s.id AND r.position >= 0),"
            f" {origin} FROM sections s JOIN imports i ON i.id = s.import_id ORDER BY s.period, s.position"
        ).fetchall()
        quarters: dict[str, Quarter] = {}
        regions: dict[str, set[str]] = {}
        for period, region, printed, pages, run_source, imported_at, rows, source, sample in records:
            quarter = quarters.get(period)
            if quarter is None:
                quarter = quarters[period] = Quarter(period, 0, 0, [], 0, imported_at, False)
            # A region printed twice (a finding) is one region.
            regions.setdefault(period, set()).add(region or printed)
            quarter.regions = len(regions[period])
            quarter.municipalities += rows
            # Stores from before sources were kept per table know only the whole run's files.
            source = source or run_source
            if source not in quarter.sources:
                quarter.sources.append(source)
            quarter.pages += len(json.loads(pages))
            quarter.sample = quarter.sample or bool(sample)
            quarter.imported_at = max(quarter.imported_at, imported_at)
        return list(quarters.values())

    def sample_periods(self) -> set[str]:
        """Quarters that came (wholly or partly) from a sample publication."""
        return {q.period for q in self.quarters() if q.sample}

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """One read transaction, so what is read together is one consistent state."""
        with _failures(self.path, "opslag lezen"):
            self._db.execute("BEGIN")
            try:
                yield
            finally:
                if self._db.in_transaction:
                    self._db.execute("COMMIT")

    def outline(self) -> tuple[int, list[str]]:
        """Generation and the stored periods, read together: what a reader needs before it
        reads any one period (with `state(period)`, checking the generation is unchanged)."""
        with self._reading():
            return self.generation(), self.periods()

    def state(self, period: str | None = None) -> StoreState:
        """Everything stored (or one period's), read as one consistent state."""
        with self._reading():
            return StoreState(
                self.generation(), self.sections(period), self.findings(period), self.national(period)
            )

    def generation(self) -> int:
        """A counter bumped by every write, kept in the file (so other processes see it too)."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def change_token(self) -> tuple | None:
        return change_token(self.path)


@dataclass
class Quarter:
    """One stored quarter, as `xlkp periods` lists it."""

    period: str
    regions: int
    municipalities: int  # table rows: a municipality listed in two regions counts twice
    sources: list[str]  # the files its tables were read from
    pages: int
    imported_at: str  # ISO 8601, UTC
    sample: bool

    @property
    def imported_local(self) -> datetime:
        return datetime.fromisoformat(self.imported_at).astimezone()


def _section_from_dict(data: dict) -> Section:
    def row(d: dict | None) -> Row | None:
        return None if d is None else Row(**{**d, "values": tuple(d["values"])})

    return Section(**{
        **data,
        "rows": [row(r) for r in data["rows"]],
        "region_total": row(data["region_total"]),
        "columns": tuple(data["columns"]) if data["columns"] is not None else None,
    })


def _national_from_dict(data: dict) -> NationalTable:
    def row(d: dict | None) -> NationalRow | None:
        return None if d is None else NationalRow(**{**d, "values": tuple(d["values"])})

    return NationalTable(**{
        **data,
        "rows": [row(r) for r in data["rows"]],
        "total": row(data["total"]),
        "columns": tuple(data["columns"]) if data["columns"] is not None else None,
    })


def _periods_of(sections: Iterable[Section], national: Iterable[NationalTable]) -> list[str]:
    return sorted({_period(s.period) for s in sections} | {_period(t.period) for t in national})


def _check_regular(path: Path, must_exist: bool) -> None:
    """A store is a regular file (a symlink to one is fine); a FIFO or device would hang or lie."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if must_exist:
            raise StoreError(f"{path}: nog niets geïmporteerd (geen opslag gevonden)") from None
        return
    except OSError as error:
        raise StoreError(f"{path}: opslag niet te openen ({_message(error)})") from None
    if not stat.S_ISREG(mode):
        raise StoreError(f"{path}: geen gewoon bestand; kies een bestand als opslag")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """mode=ro: SQLite never writes the file. A WAL store in a folder nobody may write to
    (so no writer can change it either) is opened as immutable: no -shm file to create."""
    uri = path.absolute().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA user_version").fetchone()
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def _period(text: str) -> str:
    key = parse_period(text)
    if key is None:
        raise ValueError(f"not a quarter: {text!r}")
    return key


def _where_period(period: str | None) -> tuple[str, tuple]:
    if period is None:
        return "", ()
    return "WHERE period = ?", (_period(period),)


__all__ = ["STORE_ENV", "Quarter", "Store", "StoreError", "StoreState", "change_token", "default_store_path"]
