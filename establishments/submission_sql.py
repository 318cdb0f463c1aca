"""The set-based SQL of movement and wage files: load rows, check them against the records, save.

Rows read from a file (or the one row of the form) go into a per-connection TEMP table, in bulk:
one PostgreSQL COPY per chunk, fed as the rows are read (``CsvStream``), ``executemany`` on
SQLite. One statement then checks every row against the civil registry, the individuals, the
insurance periods and the wage records (an index probe per row for each, and a duplicate count,
with the messages as parameters) and writes the result into the staging table ``SubmissionRow``; saving is
a handful of INSERT … SELECT and UPDATE … FROM statements over the staging rows, with the
simple_history rows written the same way. No statement runs once per row.

The SQL is the same on PostgreSQL and SQLite (the development default): correlated subqueries,
GROUP BY, ``UPDATE … FROM`` and ``INSERT … ON CONFLICT`` (SQLite ≥ 3.33). Only the bulk load and
the errors file use PostgreSQL's COPY when it is there.
"""

# ruff: noqa: S608  (the SQL is built from constant table names and fragments; values are parameters)
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from accounts.models import CivilRecord
from eservices.dates import month_end
from individuals.models import Individual, InsurancePeriod, WageRecord

from .models import Movement, Submission, SubmissionRow

K = Submission.Kind
START_KINDS = (K.START_MOVEMENTS, K.PREV_YEARS_MOVEMENTS)
WAGE_KINDS = (K.JANUARY_WAGES, K.MONTHLY_WAGES, K.PREV_YEARS_WAGES)
SEP = "؛ "  # between the messages of one row
LOAD = "establishments_submission_load"  # the TEMP table
# The columns of the TEMP table, in the order the loader writes them (``Row.load_values``).
LOAD_COLUMNS = (
    "line",
    "national_number",
    "date_text",
    "wage_text",
    "reason_text",
    "nn",
    "nkey",  # the national number when it has the right format, else NULL: the checks key
    "date",
    "wage",
    "reason",
    "errors",  # the row's own errors (format, date, amount, reason), joined by SEP; else NULL
)
LOAD_DDL = f"""
CREATE TEMP TABLE IF NOT EXISTS {LOAD} (
    line integer NOT NULL,
    national_number text,
    date_text text,
    wage_text text,
    reason_text text,
    nn text,
    nkey text,
    date date,
    wage numeric(12, 3),
    reason text,
    errors text,
    individual_id bigint,
    period_id bigint
)"""
# The cell as sent of each column of a file, in the staging table.
RAW = {
    "national_number": "national_number",
    "date": "date_text",
    "wage": "wage_text",
    "reason": "reason_text",
}
ROW = SubmissionRow._meta.db_table
CIVIL = CivilRecord._meta.db_table
PERSON = Individual._meta.db_table
PERIOD = InsurancePeriod._meta.db_table
WAGE = WageRecord._meta.db_table
MOVEMENT = Movement._meta.db_table


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def batch_settings(cur) -> None:
    """For the rest of the transaction, on PostgreSQL: no JIT (it compiles these statements for
    longer than they run: over a second for a 50,000-row file once the tables are big enough to
    pass ``jit_above_cost``), and room to sort and hash a whole file in memory."""
    if is_postgres():
        cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL work_mem = '32MB'")


def async_commit() -> None:
    """The current transaction's commit does not wait for the write-ahead log to reach the disk
    (PostgreSQL): for what a crash may lose, progress figures and staging rows."""
    if is_postgres():
        with connection.cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit = off")


# --- Loading ---------------------------------------------------------------------------------


class Load:
    """The TEMP table of rows being checked, emptied on entry and on a clean exit (after an error
    the transaction may be unusable: the next entry empties it)."""

    def __enter__(self) -> Load:
        with connection.cursor() as cur:
            cur.execute(LOAD_DDL)
            cur.execute(f"DELETE FROM {LOAD}")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            with connection.cursor() as cur:
                cur.execute(f"DELETE FROM {LOAD}")

    def add(self, rows: Iterable[tuple]) -> None:
        """Append rows (tuples in LOAD_COLUMNS order): one COPY on PostgreSQL, which reads the
        rows as they are made (``CsvStream``), so making them must not query the database (the
        connection is busy with the COPY)."""
        cols = ", ".join(LOAD_COLUMNS)
        with connection.cursor() as cur:
            if is_postgres():
                cur.copy_expert(
                    f"COPY {LOAD} ({cols}) FROM STDIN WITH (FORMAT csv)", CsvStream(rows)
                )
            else:
                marks = ", ".join(["%s"] * len(LOAD_COLUMNS))
                cur.executemany(
                    f"INSERT INTO {LOAD} ({cols}) VALUES ({marks})",
                    [tuple(None if v == "" else v for v in r) for r in rows],
                )


class CsvStream:
    """A file to COPY from whose ``read`` writes the next few rows as CSV: PostgreSQL parses
    and stores what it was sent while Python reads and checks the next rows, and only those few
    rows are ever in memory. Empty cells and None are both NULL."""

    ROWS_PER_READ = 256

    def __init__(self, rows: Iterable[tuple]):
        self.rows = iter(rows)
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\n")

    def read(self, size: int = -1) -> str:
        self.buf.seek(0)
        self.buf.truncate()
        self.writer.writerows(islice(self.rows, self.ROWS_PER_READ))
        return self.buf.getvalue()


# --- Checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A check against the records: ``sql`` is true for a row that fails it."""

    name: str
    field: str
    sql: str
    message: str


def _checks(kind: str, columns: tuple[str, ...]) -> list[Check]:
    """The checks of this kind of file against the records, in the order their messages are
    shown (after a duplicate's and the row's own). ``r`` is a row of ``_checked``."""
    known = "r.civil_id IS NOT NULL"
    out = [
        Check(
            "unregistered",
            "national_number",
            "r.nkey IS NOT NULL AND r.civil_id IS NULL",
            _("This national number is not in the civil registry."),
        )
    ]
    if kind in START_KINDS:
        out.append(
            Check(
                "overlap",
                "date",
                f"{known} AND r.date IS NOT NULL AND r.period_id IS NOT NULL",
                _("This person already has a coverage period that is open or overlaps this date."),
            )
        )
    elif kind == K.STOP_MOVEMENTS:
        out.append(
            Check(
                "not_covered_on",
                "national_number",
                f"{known} AND r.date IS NOT NULL AND r.period_id IS NULL",
                _("This person is not covered by this establishment on that date."),
            )
        )
    else:
        covered = f"{known} AND r.period_id IS NOT NULL"
        out += [
            Check(
                "not_covered_in",
                "national_number",
                f"{known} AND r.period_id IS NULL",
                _("This person is not covered by this establishment in that month."),
            ),
            Check(
                "elsewhere",
                "national_number",
                f"{covered} AND r.elsewhere",
                _("A wage for this month is already recorded by another establishment."),
            ),
        ]
        if "date" in columns:
            out += [
                Check(
                    "stopped",
                    "date",
                    f"{covered} AND r.date IS NOT NULL AND r.period_end IS NOT NULL",
                    _("This coverage period is already stopped."),
                ),
                Check(
                    "before_start",
                    "date",
                    f"{covered} AND r.date IS NOT NULL AND r.period_end IS NULL"
                    " AND r.date < r.period_start",
                    _("The stop date is before the coverage start date."),
                ),
            ]
    return out


def _duplicate_message() -> str:
    return _("This national number is repeated in the file (line %(line)s).")


def _checked(kind: str, columns, establishment_id: int, period: dt.date | None):
    """The loaded rows with what the checks need, as ``r``: the first line of a repeated
    national number, the civil record, the person, and the insurance period the row is about
    (for a start: one that overlaps it; else this establishment's covering period, the earliest
    if several), and for a wage file whether another establishment recorded the month.

    Each is found by an index probe per row of the file (a correlated subquery), never by a join
    over a whole table: the cost grows with the file, not with the registry (with a million
    people besides, hash joins over the registry tables made the check 3× slower). ``OFFSET 0``
    keeps PostgreSQL from folding the layers into one, which would run a probe once for every
    use of its result."""
    params: dict = {"est": establishment_id, "jordanian": CivilRecord.Kind.JORDANIAN}
    if kind in START_KINDS:
        period_on = "(p.end_date IS NULL OR p.end_date >= y.date)"
    elif kind == K.STOP_MOVEMENTS:
        period_on = "p.establishment_id = %(est)s AND p.end_date IS NULL AND p.start_date <= y.date"
    else:
        params["first"] = period
        params["last"] = month_end(period)
        period_on = (
            "p.establishment_id = %(est)s AND p.start_date <= %(last)s"
            " AND (p.end_date IS NULL OR p.end_date >= %(first)s)"
        )
    fence = " OFFSET 0" if is_postgres() else ""
    bounds = "CAST(NULL AS date) AS period_start, CAST(NULL AS date) AS period_end"
    if kind in WAGE_KINDS and "date" in columns:  # a stop date checked against the period
        bounds = ", ".join(
            f"(SELECT p.{c} FROM {PERIOD} p WHERE p.id = z.period_id) AS period_{c.split('_')[0]}"
            for c in ("start_date", "end_date")
        )
    elsewhere = ""
    if kind in WAGE_KINDS:
        # A scalar subquery with LIMIT, not EXISTS: PostgreSQL may run an EXISTS as one hash
        # of every other establishment's wages of the month (a million rows for a country).
        elsewhere = f""",
            (SELECT 1 FROM {WAGE} w WHERE w.individual_id = z.person_id
                AND w.month = %(first)s
                AND (w.establishment_id IS NULL OR w.establishment_id <> %(est)s)
                LIMIT 1) IS NOT NULL AS elsewhere"""
    sql = f"""(
        SELECT z.*, {bounds}{elsewhere} FROM (
            SELECT y.*,
                (SELECT p.id FROM {PERIOD} p WHERE p.individual_id = y.person_id AND {period_on}
                    ORDER BY p.start_date, p.id LIMIT 1) AS period_id
            FROM (
                SELECT l.line, l.national_number, l.date_text, l.wage_text, l.reason_text, l.nn,
                    l.nkey, l.date, l.wage, l.reason, l.errors, d.first_line,
                    (SELECT c.id FROM {CIVIL} c WHERE c.number = l.nkey
                        AND c.kind = %(jordanian)s) AS civil_id,
                    (SELECT i.id FROM {PERSON} i WHERE i.national_number = l.nkey
                        AND i.national_number <> '') AS person_id
                FROM {LOAD} l
                LEFT JOIN (
                    SELECT nkey, min(line) AS first_line FROM {LOAD}
                    WHERE nkey IS NOT NULL GROUP BY nkey HAVING count(*) > 1
                ) d ON d.nkey = l.nkey{fence}
            ) y{fence}
        ) z{fence}
    ) r"""
    return sql, params, _checks(kind, columns)


def check_into_staging(
    *, submission_id: int, kind: str, columns, establishment_id: int, period: dt.date | None
) -> None:
    """Check every loaded row and write it, with its errors, into the staging table."""
    source, params, checks = _checked(kind, columns, establishment_id, period)
    params.update(
        sub=submission_id,
        sep=SEP,
        m_dup=_duplicate_message(),
        token="%(line)s",
    )
    duplicate = "r.first_line < r.line"
    parts = [
        f"CASE WHEN {duplicate} THEN %(sep)s"
        " || replace(%(m_dup)s, %(token)s, CAST(r.first_line AS text)) ELSE '' END",
        "CASE WHEN r.errors IS NOT NULL THEN %(sep)s || r.errors ELSE '' END",
    ]
    for c in checks:
        params[f"m_{c.name}"] = c.message
        parts.append(f"CASE WHEN {c.sql} THEN %(sep)s || %(m_{c.name})s ELSE '' END")
    # Most rows have no error: test that first, and join texts only for the others.
    failing = " OR ".join(
        f"({cond})" for cond in [duplicate, "r.errors IS NOT NULL", *(c.sql for c in checks)]
    )
    errors = f"CASE WHEN {failing} THEN substr({' || '.join(parts)}, {len(SEP) + 1}) ELSE '' END"
    period_id = "CAST(NULL AS bigint)" if kind in START_KINDS else "r.period_id"
    with transaction.atomic(), connection.cursor() as cur:
        batch_settings(cur)
        async_commit()
        cur.execute(
            f"""INSERT INTO {ROW} (submission_id, line, national_number, date_text, wage_text,
                reason_text, nn, date, wage, reason, individual_id, period_id, errors)
            SELECT %(sub)s, r.line, COALESCE(r.national_number, ''), COALESCE(r.date_text, ''),
                COALESCE(r.wage_text, ''), COALESCE(r.reason_text, ''), COALESCE(r.nn, ''),
                r.date, r.wage, COALESCE(r.reason, ''), r.person_id, {period_id}, {errors}
            FROM {source}""",
            params,
        )


def check_loaded_row(
    *, kind: str, columns, establishment_id: int, period: dt.date | None
) -> list[tuple[str, str]]:
    """The checks of the one loaded row (the form): its errors as (field, message); the row
    keeps the person and the period found, for ``save``."""
    source, params, checks = _checked(kind, columns, establishment_id, period)
    flags = ", ".join(f"CASE WHEN {c.sql} THEN 1 ELSE 0 END" for c in checks)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT r.person_id, r.period_id, {flags} FROM {source}",
            params,
        )
        person_id, period_id, *failed = cur.fetchone()
        cur.execute(
            f"UPDATE {LOAD} SET individual_id = %s, period_id = %s",
            [person_id, period_id],
        )
    return [(c.field, c.message) for c, bad in zip(checks, failed, strict=True) if bad]


# --- The errors file -------------------------------------------------------------------------


def write_errors_file(out, *, submission_id: int, columns, header: list[str]) -> None:
    """Every row as sent, plus its errors, in file order (a binary file, UTF-8 with a BOM)."""
    out.write("\ufeff".encode())
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(header)
    out.write(head.getvalue().encode())
    raw = [RAW[c] for c in columns]
    if is_postgres():
        cells = ", ".join(f"NULLIF({c}, '')" for c in [*raw, "errors"])
        with connection.cursor() as cur:
            cur.copy_expert(
                f"COPY (SELECT {cells} FROM {ROW} WHERE submission_id = {int(submission_id)}"
                " ORDER BY line) TO STDOUT WITH (FORMAT csv)",
                out,
            )
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        w = csv.writer(text, lineterminator="\n")
        rows = (
            SubmissionRow.objects.filter(submission_id=submission_id)
            .order_by("line")
            .values_list(*raw, "errors")
        )
        for row in rows.iterator(chunk_size=2000):
            w.writerow(row)
    finally:
        text.flush()
        text.detach()


# --- Saving ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The checked rows to save: a submission's valid staging rows, or the form's loaded row."""

    table: str
    where: str
    params: dict

    @classmethod
    def staging(cls, submission_id: int) -> Source:
        return cls(ROW, "s.submission_id = %(sub)s AND s.errors = ''", {"sub": submission_id})

    @classmethod
    def loaded(cls) -> Source:
        return cls(LOAD, "1 = 1", {})

    def count(self, extra: str = "") -> int:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM {self.table} s WHERE {self.where}{extra}",
                self.params,
            )
            return cur.fetchone()[0]


def _changed() -> ServiceError:
    return ServiceError(
        _("Some coverage periods changed since the file was checked. Send the file again.")
    )


def _values(model: type[Model], given: dict[str, str], params: dict) -> tuple[str, str]:
    """Columns and SELECT expressions for an INSERT … SELECT into ``model``: ``given`` maps
    attnames to SQL; every other field gets its Python default (as a parameter)."""
    cols, exprs = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(connection.ops.quote_name(f.column))
        if f.attname in given:
            exprs.append(given[f.attname])
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = timezone.now()
        else:
            value = f.get_default()
        key = f"d_{model._meta.model_name}_{f.attname}"
        params[key] = f.get_db_prep_save(value, connection)
        exprs.append(f"%({key})s")
    return ", ".join(cols), ", ".join(exprs)


def _history(
    model: type[Model], *, history_type: str, join: str, where: str, params: dict, user
) -> None:
    """simple_history rows of the ``model`` rows (alias ``t``) that ``join``/``where`` select,
    as ``bulk_create_with_history`` / ``bulk_update_with_history`` would write them."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    hist = model.history.model
    q = connection.ops.quote_name
    tracked = list(hist.tracked_fields)
    cols = [q(hist._meta.get_field(f.name).column) for f in tracked]
    exprs = [f"t.{q(f.column)}" for f in tracked]
    params = {
        **params,
        "h_date": timezone.now(),
        "h_type": history_type,
        "h_user": getattr(user, "pk", None),
        "h_reason": None,  # as bulk_create_with_history leaves it
    }
    with connection.cursor() as cur:
        cur.execute(
            f"""INSERT INTO {hist._meta.db_table} ({", ".join(cols)}, history_date, history_type,
                history_user_id, history_change_reason)
            SELECT {", ".join(exprs)}, %(h_date)s, %(h_type)s, %(h_user)s, %(h_reason)s
            FROM {model._meta.db_table} t {join} WHERE {where}""",
            params,
        )


def _movements(src: Source, *, kind: str, person: str, join: str, extra: str, common: dict) -> None:
    params = {**src.params, **common}
    given = {
        "establishment_id": "%(est)s",
        "individual_id": person,
        "kind": "%(mkind)s",
        "date": "s.date",
        "wage": "s.wage" if kind == Movement.Kind.START else "NULL",
        "stop_reason": "s.reason" if kind == Movement.Kind.STOP else "''",
        "submission_id": "%(sub)s",
        "created_by_id": "%(user)s",
    }
    params["mkind"] = kind
    cols, exprs = _values(Movement, given, params)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {MOVEMENT} ({cols}) SELECT {exprs} FROM {src.table} s {join}"
            f" WHERE {src.where}{extra}",
            params,
        )


def save(
    *,
    source: Source,
    kind: str,
    establishment_id: int,
    period: dt.date | None,
    user,
    submission_id: int | None,
    rows: int,
) -> None:
    """Save the ``rows`` checked rows of ``source`` (in the caller's transaction)."""
    common = {"est": establishment_id, "user": getattr(user, "pk", None), "sub": submission_id}
    with connection.cursor() as cur:
        batch_settings(cur)
    if kind in START_KINDS:
        _save_starts(source, common, user, rows)
    elif kind == K.STOP_MOVEMENTS:
        _save_stops(source, common, user, rows)  # every row has its date
    else:
        _save_wages(source, common, period, rows)
        if kind == K.PREV_YEARS_WAGES:  # the rows with a stop date
            _save_stops(source, common, user, None)


def _save_wages(src: Source, common: dict, month: dt.date, rows: int) -> None:
    params = {**src.params, **common, "month": month}
    given = {
        "individual_id": "s.individual_id",
        "establishment_id": "%(est)s",
        "month": "%(month)s",
        "wage": "s.wage",
        "coverage": "%(coverage)s",
        "submission_id": "%(sub)s",
    }
    params["coverage"] = InsurancePeriod.Coverage.MANDATORY
    cols, exprs = _values(WageRecord, given, params)
    # In the people's order: the indexes and the foreign-key checks then touch pages in order.
    # The month's wage of this establishment is replaced; another establishment's is not (the
    # row count tells).
    with connection.cursor() as cur:
        cur.execute(
            f"""INSERT INTO {WAGE} ({cols}) SELECT {exprs} FROM {src.table} s WHERE {src.where}
            ORDER BY s.individual_id
            ON CONFLICT (individual_id, month) DO UPDATE SET wage = excluded.wage,
                establishment_id = excluded.establishment_id, coverage = excluded.coverage,
                submission_id = excluded.submission_id
            WHERE {WAGE}.establishment_id = excluded.establishment_id""",
            params,
        )
        saved = cur.rowcount
    if saved != rows:  # another establishment recorded a wage for the month meanwhile
        raise ServiceError(
            _("Some records changed since the file was checked. Send the file again.")
        )


def _save_stops(src: Source, common: dict, user, expected: int | None) -> None:
    dated = " AND s.date IS NOT NULL"
    if expected is None:
        expected = src.count(dated)
    if not expected:
        return
    params = {**src.params, **common}
    with connection.cursor() as cur:
        cur.execute(
            f"""UPDATE {PERIOD} AS p SET end_date = s.date FROM {src.table} s
            WHERE {src.where}{dated} AND p.id = s.period_id AND p.establishment_id = %(est)s
                AND p.end_date IS NULL""",
            params,
        )
        if cur.rowcount != expected:
            raise _changed()
    _history(
        InsurancePeriod,
        history_type="~",
        join=f"JOIN {src.table} s ON s.period_id = t.id",
        where=src.where + dated,
        params=params,
        user=user,
    )
    _movements(
        src, kind=Movement.Kind.STOP, person="s.individual_id", join="", extra=dated, common=common
    )


def _save_starts(src: Source, common: dict, user, rows: int) -> None:
    params = {**src.params, **common}
    person = f"JOIN {PERSON} i ON i.national_number = s.nn AND i.national_number <> ''"
    with connection.cursor() as cur:
        # Someone's coverage may have changed since the check: refuse rather than overlap.
        cur.execute(
            f"""SELECT 1 FROM {src.table} s {person}
            JOIN {PERIOD} p ON p.individual_id = i.id
                AND (p.end_date IS NULL OR p.end_date >= s.date)
            WHERE {src.where} LIMIT 1""",
            params,
        )
        if cur.fetchone():
            raise _changed()
        # The people who have no record yet, from the civil registry.
        new = " AND s.individual_id IS NULL"
        expected = src.count(new)
        if expected:
            given = {
                "is_jordanian": "%(yes)s",
                "name_ar": "c.name_ar",
                "name_en": "c.name_en",
                "birth_date": "c.birth_date",
                "sex": "c.sex",
                "national_number": "s.nn",
                "id_card_number": "c.id_card_number",
                "insurance_number": "c.insurance_number",
                "nationality": "COALESCE(NULLIF(c.nationality, ''), 'JO')",
                "residence_country": "'JO'",
                "education_level": "''",
            }
            p2 = {**params, "yes": True, "jordanian": CivilRecord.Kind.JORDANIAN}
            cols, exprs = _values(Individual, given, p2)
            cur.execute(
                f"""INSERT INTO {PERSON} ({cols}) SELECT {exprs} FROM {src.table} s
                JOIN {CIVIL} c ON c.number = s.nn AND c.kind = %(jordanian)s
                WHERE {src.where}{new}""",
                p2,
            )
            if cur.rowcount != expected:
                raise _changed()
            _history(
                Individual,
                history_type="+",
                join=f"JOIN {src.table} s ON s.nn = t.national_number",
                where=f"{src.where}{new} AND t.national_number <> ''",
                params=params,
                user=user,
            )
        given = {
            "individual_id": "i.id",
            "establishment_id": "%(est)s",
            "coverage": "%(coverage)s",
            "start_date": "s.date",
            "end_date": "NULL",
            "monthly_wage": "s.wage",
        }
        params["coverage"] = InsurancePeriod.Coverage.MANDATORY
        cols, exprs = _values(InsurancePeriod, given, params)
        cur.execute(
            f"INSERT INTO {PERIOD} ({cols}) SELECT {exprs} FROM {src.table} s {person}"
            f" WHERE {src.where}",
            params,
        )
        if cur.rowcount != rows:
            raise _changed()
    _history(
        InsurancePeriod,
        history_type="+",
        join=f"""JOIN {PERSON} i ON i.id = t.individual_id
            JOIN {src.table} s ON s.nn = i.national_number AND s.date = t.start_date""",
        where=f"{src.where} AND i.national_number <> '' AND t.establishment_id = %(est)s"
        " AND t.end_date IS NULL",
        params=params,
        user=user,
    )
    _movements(src, kind=Movement.Kind.START, person="i.id", join=person, extra="", common=common)


def delete_staging(submission_ids) -> None:
    SubmissionRow.objects.filter(submission_id__in=list(submission_ids)).delete()
