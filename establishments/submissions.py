"""Coverage movements and wage files: reading, checking, confirmation.

A file (CSV or XLSX, by its content) is streamed row by row. Each row's own checks (the format of
the national number, dates, amounts against the minimum and the cap, reasons) run in Python as it
is read (``RowReader``); the rows go into a TEMP table in chunks of ``CHUNK`` (PostgreSQL's COPY),
and then one statement checks them all against the records (civil registry, individuals,
insurance periods, wage records, duplicates in the file) and writes them into the staging table
``SubmissionRow`` with their errors (``submission_sql``). Memory does not grow with the file.
The *errors file* (every row as sent plus an error column) is written from the staging table
when some row has an error.

Only a file with no errors can be confirmed (a file with errors is corrected and sent again as a
whole); confirming saves every row in one transaction, with a few set-based statements. The same
file (its SHA-256) is accepted once per establishment and kind. One row sent by the form goes
through the same checks and the same saving.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from accounts.fields import normalise_digits
from eservices.rules import RuleMissing, plain, rule
from eservices.services import sniff

from . import submission_sql as sql
from .models import Establishment, Submission, SubmissionRow
from .submission_sql import START_KINDS, WAGE_KINDS

K = Submission.Kind
S = Submission.Status
CHUNK = 5000  # rows per COPY into the TEMP table and per progress update
MAX_FILE_BYTES = 20 * 1024 * 1024
SHOWN_ERRORS = 200
MOVEMENT_KINDS = (K.START_MOVEMENTS, K.STOP_MOVEMENTS, K.PREV_YEARS_MOVEMENTS)
PAST_KINDS = (K.PREV_YEARS_WAGES, K.PREV_YEARS_MOVEMENTS)
NN = re.compile(r"^\d{10}$")

STOP_REASONS: list[tuple[str, object]] = [
    ("resignation", gettext_lazy("Resignation")),
    ("dismissal", gettext_lazy("End of service by the employer")),
    ("contract_end", gettext_lazy("End of the contract")),
    ("retirement", gettext_lazy("Retirement")),
    ("death", gettext_lazy("Death")),
    ("other", gettext_lazy("Other")),
]

# The Arabic names accepted in a file whatever the interface language (the codes are too).
REASON_ALIASES = {
    "استقالة": "resignation",
    "إنهاء خدمات": "dismissal",
    "انهاء خدمات": "dismissal",
    "فصل": "dismissal",
    "انتهاء العقد": "contract_end",
    "تقاعد": "retirement",
    "وفاة": "death",
    "أخرى": "other",
    "اخرى": "other",
}

# The columns of each kind of file, in order (the downloadable template has these headers).
COLUMNS: dict[str, tuple[str, ...]] = {
    K.START_MOVEMENTS: ("national_number", "date", "wage"),
    K.PREV_YEARS_MOVEMENTS: ("national_number", "date", "wage"),
    K.STOP_MOVEMENTS: ("national_number", "date", "reason"),
    K.JANUARY_WAGES: ("national_number", "wage"),
    K.MONTHLY_WAGES: ("national_number", "wage"),
    K.PREV_YEARS_WAGES: ("national_number", "wage", "date", "reason"),
}
RAW_ORDER = ("national_number", "date", "wage", "reason")  # Row.raw, as sql.LOAD_COLUMNS


def column_labels(kind: str) -> list[str]:
    date_label = (
        _("Coverage start date (YYYY-MM-DD)")
        if kind in START_KINDS
        else _("Coverage stop date (YYYY-MM-DD)")
    )
    if kind == K.PREV_YEARS_WAGES:
        date_label = _("Coverage stop date, if any (YYYY-MM-DD)")
    labels = {
        "national_number": _("National number"),
        "date": date_label,
        "wage": _("Wage"),
        "reason": _("Reason for the stop"),
    }
    return [labels[c] for c in COLUMNS[kind]]


def is_movement_kind(kind: str) -> bool:
    return kind in MOVEMENT_KINDS


def period_for(*, kind: str, year: int | None, month: int | None) -> dt.date | None:
    """The ``period`` a submission of this kind is for (None for current movements)."""
    if kind in (K.START_MOVEMENTS, K.STOP_MOVEMENTS):
        return None
    if kind in (K.JANUARY_WAGES, K.PREV_YEARS_MOVEMENTS):
        return dt.date(int(year), 1, 1)
    return dt.date(int(year), int(month), 1)


def check_period(*, kind: str, period: dt.date | None, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if period is None:
        return
    if kind in PAST_KINDS and period.year >= today.year:
        raise ServiceError(_("Choose a previous year."), field="year")
    if period > today.replace(day=1):
        raise ServiceError(_("The month cannot be in the future."), field="year")


# --- Reading files ---------------------------------------------------------------------------


def detect_format(upload) -> str:
    """``"csv"`` or ``"xlsx"`` by the content (not the name); a ServiceError for anything else."""
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    refused = ServiceError(
        _("The file is not a CSV or XLSX file (its content was checked)."), field="file"
    )
    if not head or sniff(head[:16]) is not None:  # a PDF or a picture
        raise refused
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise refused from exc
        finally:
            upload.seek(0)
        if "xl/workbook.xml" not in names:
            raise refused
        return "xlsx"
    if b"\x00" in head:
        raise refused
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            head.decode("cp1256")
        except UnicodeDecodeError as exc:
            raise refused from exc
    return "csv"


def _csv_encoding(fh) -> str:
    fh.seek(0)
    head = fh.read(65536)
    fh.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1256"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def iter_rows(fh, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells as text) for every non-blank row, streamed (binary file object)."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in values]
                if any(cells):
                    yield line, cells
        finally:
            wb.close()
        return
    encoding = _csv_encoding(fh)
    inner = getattr(fh, "file", None)  # a Django File: read its file, not through its proxy
    text = io.TextIOWrapper(inner if isinstance(inner, io.IOBase) else fh, encoding, newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        text.seek(0)
        for line, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            cells = [c.strip() for c in cells]
            if any(cells):
                yield line, cells
    finally:
        text.detach()


def count_rows(fh, fmt: str) -> int:
    """A cheap estimate of the data rows, for the progress bar."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(fh, read_only=True)
        try:
            n = wb.worksheets[0].max_row or 0
        finally:
            wb.close()
        fh.seek(0)
        return max(n - 1, 0)
    n = 0
    while chunk := fh.read(1 << 20):
        n += chunk.count(b"\n")
    fh.seek(0)
    return max(n - 1, 0)


# --- Reading rows ----------------------------------------------------------------------------


class Row:
    """One row as read: the cells, the values and the row's own errors (no database yet)."""

    __slots__ = ("line", "raw", "nn", "key", "date", "wage", "reason", "errors")

    def __init__(self, line: int, raw: tuple[str, str, str, str]):
        self.line = line
        self.raw = raw  # national number, date, wage, reason: as sent ("" if not a column)
        self.nn = ""
        self.key: str | None = None  # the national number if its format is right
        self.date: dt.date | None = None
        self.wage: Decimal | None = None
        self.reason = ""
        self.errors: list[tuple[str, str]] = []

    @property
    def message(self) -> str:
        return sql.SEP.join(m for _f, m in self.errors)

    def load_values(self) -> tuple:
        """The row for the TEMP table, in ``submission_sql.LOAD_COLUMNS`` order."""
        return (
            self.line,
            *self.raw,
            self.nn,
            self.key,
            self.date,
            self.wage,
            self.reason,
            self.message if self.errors else None,
        )


DATE_YMD = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")  # %Y-%m-%d, %Y/%m/%d
DATE_DMY = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")  # %d/%m/%Y, %d-%m-%Y
MAX_WAGE_DIGITS = 9  # WageRecord.wage and InsurancePeriod.monthly_wage: numeric(12, 3)
# An amount as most files write it: at most 9 digits before the point and 3 after.
PLAIN_AMOUNT = re.compile(r"[0-9]{1,9}(?:\.[0-9]{0,3})?")


def _parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD, DD/MM/YYYY, YYYY/MM/DD or DD-MM-YYYY (Arabic-Indic digits too); a time after
    a T is ignored."""
    text = normalise_digits(text)
    if "T" in text:
        text = text.split("T", 1)[0]
    m = DATE_YMD.fullmatch(text)
    if m:
        y, mo, d = m.group(1, 3, 4)
    else:
        m = DATE_DMY.fullmatch(text)
        if not m:
            return None
        d, mo, y = m.group(1, 3, 4)
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def _parse_wage(text: str) -> Decimal | None:
    if PLAIN_AMOUNT.fullmatch(text):  # the usual case: nothing more to check
        return Decimal(text)
    text = normalise_digits(text).replace("٫", ".").replace("٬", "").replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -3:
        return None
    return value


def _reason_codes() -> dict[str, str]:
    """Every accepted way of writing a reason (lower case) → its code, in the current language."""
    codes: dict[str, str] = {}
    for code, label in STOP_REASONS:
        codes[code] = code
        codes.setdefault(str(label).lower(), code)
    codes.update(REASON_ALIASES)
    return codes


class RowReader:
    """The checks of one row on its own: the format of the national number, the date, the wage
    against the minimum and the cap in force, the reason. The checks against the records are set
    based (``submission_sql``); both run for a file and for the form."""

    def __init__(self, *, kind: str, period: dt.date | None, today: dt.date | None = None):
        self.kind = kind
        self.period = period
        self.today = today or timezone.localdate()
        columns = COLUMNS[kind]
        self.positions = tuple(columns.index(c) if c in columns else None for c in RAW_ORDER)
        self.has_date, self.has_wage, self.has_reason = (c in columns for c in RAW_ORDER[1:])
        self.wage_on_period = kind in WAGE_KINDS
        self.reasons = _reason_codes()
        self._limits: dict[dt.date, tuple] = {}
        self._rule_rows = {key: _rule_rows(key) for key in LIMIT_RULES}
        self.m_nn = _("The national number must be exactly 10 digits.")
        self.m_date = _("The date is not valid: write it as YYYY-MM-DD.")
        self.m_future = _("The date cannot be in the future.")
        self.m_year = (
            _("The date must be within the chosen year (%(year)s).") % {"year": period.year}
            if period
            else ""
        )
        self.m_wage = _("The wage must be a positive amount in dinars.")
        self.m_reason = _("Choose a reason for the stop from the list.")

    def read(self, line: int, cells: list[str]) -> Row:
        n = len(cells)
        raw = tuple([(cells[i] if i < n else "") if i is not None else "" for i in self.positions])
        row = Row(line, raw)
        text = raw[0]
        if len(text) == 10 and text.isascii() and text.isdigit():
            row.nn = row.key = text
        else:
            row.nn = normalise_digits(text)
            if NN.match(row.nn):
                row.key = row.nn
            else:
                row.errors.append(("national_number", self.m_nn))
        kind = self.kind
        if self.has_date:
            text = raw[1]
            if text or kind != K.PREV_YEARS_WAGES:
                row.date = _parse_date(text)
                if row.date is None:
                    row.errors.append(("date", self.m_date))
                elif row.date > self.today:
                    row.errors.append(("date", self.m_future))
                elif kind in PAST_KINDS and row.date.year != self.period.year:
                    row.errors.append(("date", self.m_year))
        if self.has_wage:
            self._read_wage(row, raw[2])
        if self.has_reason:
            text = raw[3]
            if text or kind == K.STOP_MOVEMENTS or row.date is not None:
                code = self.reasons.get(text.strip().lower())
                if code is None:
                    row.errors.append(("reason", self.m_reason))
                else:
                    row.reason = code
        return row

    def _read_wage(self, row: Row, text: str) -> None:
        wage = _parse_wage(text)
        if wage is None or wage <= 0:
            row.errors.append(("wage", self.m_wage))
            return
        bad = False
        on = self.period if self.wage_on_period else row.date
        if on is not None:
            low, cap, low_message, cap_message = self._limits_on(on)
            if low is not None and wage < low:
                row.errors.append(("wage", low_message))
                bad = True
            if cap is not None and wage > cap:
                row.errors.append(("wage", cap_message))
                bad = True
        if wage.adjusted() >= MAX_WAGE_DIGITS:  # more than can be recorded (no cap in force)
            if not bad:
                row.errors.append(("wage", self.m_wage))
            return
        row.wage = wage

    def _limits_on(self, on: dt.date) -> tuple:
        """(minimum, cap, their messages) in force on ``on``, from the rule rows read when the
        reader was made: no query while the rows stream into COPY."""
        if on not in self._limits:
            low, cap = (_in_force(self._rule_rows[key], on) for key in LIMIT_RULES)
            self._limits[on] = (
                low,
                cap,
                low is not None
                and _("The wage is below the minimum wage (%(amount)s JD).")
                % {"amount": plain(low)},
                cap is not None
                and _("The wage is above the maximum insurable wage (%(amount)s JD).")
                % {"amount": plain(cap)},
            )
        return self._limits[on]


LIMIT_RULES = ("wage.minimum", "wage.cap")


def _rule_rows(key: str) -> list[tuple[dt.date, Decimal]]:
    """Every row of a rule, oldest first, as ``rule()`` gives them: the one in force at the end
    of time, then the one in force the day before it started, and so on."""
    rows: list[tuple[dt.date, Decimal]] = []
    on = dt.date.max
    while len(rows) < 1000:
        try:
            found = rule(key, on=on)
        except RuleMissing:
            break
        rows.append((found.effective_from, found.value))
        if found.effective_from == dt.date.min:
            break
        on = found.effective_from - dt.timedelta(days=1)
    rows.reverse()
    return rows


def _in_force(rows: list[tuple[dt.date, Decimal]], on: dt.date) -> Decimal | None:
    at = bisect_right(rows, on, key=lambda r: r[0])
    return rows[at - 1][1] if at else None


def _is_header(cells: list[str]) -> bool:
    return not NN.match(normalise_digits(cells[0] if cells else ""))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- Services --------------------------------------------------------------------------------


def submission_create(
    *,
    establishment: Establishment,
    user,
    kind: str,
    period: dt.date | None,
    upload: UploadedFile,
) -> Submission:
    """Keep an uploaded file for checking; refuse a non-CSV/XLSX file and a file sent before."""
    if upload.size > MAX_FILE_BYTES:
        raise ServiceError(_("The file is larger than 20 MB."), field="file")
    check_period(kind=kind, period=period)
    fmt = detect_format(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha = digest.hexdigest()
    before = (
        Submission.objects.filter(establishment=establishment, kind=kind, sha256=sha)
        .exclude(status__in=[S.INVALID, S.FAILED])
        .first()
    )
    if before is not None:
        raise _already_sent(before)
    sub = Submission(
        establishment=establishment,
        kind=kind,
        period=period,
        status=S.VALIDATING,
        original_name=(upload.name or "file")[:200],
        sha256=sha,
        created_by=user,
        summary={"format": fmt},
    )
    sub.file.save(f"{kind}.{fmt}", upload, save=False)
    try:
        with transaction.atomic():
            sub.save()
    except IntegrityError as exc:
        sub.file.delete(save=False)
        raise ServiceError(
            _("This file was already sent. The same file is not accepted twice."), field="file"
        ) from exc
    # The checked rows of the files with errors this one replaces are no longer needed.
    sql.delete_staging(
        Submission.objects.filter(
            establishment=establishment, kind=kind, status__in=[S.INVALID, S.FAILED]
        ).values_list("pk", flat=True)
    )
    return sub


def _already_sent(before: Submission) -> ServiceError:
    return ServiceError(
        _(
            "This file was already sent on %(date)s (submission number %(number)s). The same file"
            " is not accepted twice."
        )
        % {"date": timezone.localtime(before.created_at).strftime("%Y-%m-%d"), "number": before.pk},
        field="file",
    )


def submission_validate(
    *, submission: Submission, progress: Callable[[int], None] | None = None
) -> Submission:
    """Check every row of the file: stream it into a TEMP table in chunks (progress per chunk),
    check all rows against the records in one statement into the staging table, then write the
    errors file and the summary from there."""
    sub = submission
    fmt = sub.summary.get("format", "csv")
    reader = RowReader(kind=sub.kind, period=sub.period)
    columns = COLUMNS[sub.kind]
    sql.delete_staging([sub.pk])  # a task run again starts afresh
    total = 0
    with sub.file.open("rb") as fh, sql.Load() as load:
        estimate = count_rows(fh, fmt)
        _progress(sub.pk, rows_done=0, rows_total=estimate)
        rows = iter_rows(fh, fmt)
        first = next(rows, None)
        if first is not None and not _is_header(first[1]):
            rows = _prepend(first, rows)
        for chunk in _chunks(rows, CHUNK):
            load.add(reader.read(line, cells).load_values() for line, cells in chunk)
            total += len(chunk)
            _progress(sub.pk, rows_done=total, rows_total=max(total, estimate))
            if progress:
                progress(total)
        if total:
            sql.check_into_staging(
                submission_id=sub.pk,
                kind=sub.kind,
                columns=columns,
                establishment_id=sub.establishment_id,
                period=sub.period,
            )
    with_errors = SubmissionRow.objects.filter(submission=sub).exclude(errors="")
    bad = with_errors.count() if total else 0
    first_errors = with_errors.order_by("line").values_list("line", "nn", "errors")
    shown = [
        {"line": line, "nn": nn, "errors": errors}
        for line, nn, errors in (first_errors[:SHOWN_ERRORS] if bad else [])
    ]
    if bad:  # a file without errors has nothing to correct: no errors file
        with tempfile.TemporaryFile("w+b") as err_tmp:
            sql.write_errors_file(
                err_tmp,
                submission_id=sub.pk,
                columns=columns,
                header=[*column_labels(sub.kind), _("Errors")],
            )
            err_tmp.seek(0)
            sub.errors_file.save(f"{sub.kind}-errors.csv", File(err_tmp), save=False)
    sub.rows_total = sub.rows_done = total
    sub.rows_with_errors = bad
    sub.status = S.VALIDATED if total and not bad else S.INVALID
    sub.summary = {
        **sub.summary,
        "rows": total,
        "valid": total - bad,
        "errors": bad,
        "shown": shown,
    }
    if not total:
        sub.summary["failure"] = _("The file has no rows.")
    sub.save(
        update_fields=[
            "rows_total",
            "rows_done",
            "rows_with_errors",
            "status",
            "summary",
            "errors_file",
        ]
    )
    if sub.status == S.INVALID:  # its summary and errors file say all there is to say
        sql.delete_staging([sub.pk])
    return sub


def confirm_by(sub: Submission) -> dt.datetime:
    """When a checked file stops waiting for its confirmation (``expire_unconfirmed``)."""
    return sub.created_at + dt.timedelta(days=settings.SUBMISSION_CONFIRM_DAYS)


def expire_unconfirmed(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Let go of what files that were never finished keep (a daily task): a checked file not
    confirmed within ``SUBMISSION_CONFIRM_DAYS`` and a check that never ended (its task lost for
    a day) become FAILED, with the reason, and the same file may be sent again; their staging
    rows, and any left by a file no longer waiting, are deleted."""
    now = now or timezone.now()
    days = settings.SUBMISSION_CONFIRM_DAYS
    expired = {
        S.VALIDATED: (
            now - dt.timedelta(days=days),
            _("The file was not confirmed within %(days)s days. Send it again.") % {"days": days},
        ),
        S.VALIDATING: (
            now - dt.timedelta(days=1),
            _("The check of the file did not finish. Send it again."),
        ),
    }
    counts = {}
    for status, (before, reason) in expired.items():
        with transaction.atomic():
            stale = list(
                Submission.objects.select_for_update(skip_locked=True).filter(
                    status=status, created_at__lt=before
                )
            )
            for sub in stale:
                sub.status = S.FAILED
                sub.summary = {**sub.summary, "failure": reason}
            Submission.objects.bulk_update(stale, ["status", "summary"])
            sql.delete_staging([sub.pk for sub in stale])
        counts[status] = len(stale)
    waiting = Submission.objects.filter(status__in=[S.VALIDATED, S.VALIDATING]).values("pk")
    counts["orphan_rows"] = SubmissionRow.objects.exclude(submission__in=waiting).delete()[0]
    return counts


def _progress(pk: int, **counts) -> None:
    """The progress shown while the file is checked: committed at once, without waiting for the
    disk (a crash loses at most a progress figure)."""
    with transaction.atomic():
        sql.async_commit()
        Submission.objects.filter(pk=pk).update(**counts)


def _prepend(first, rest):
    yield first
    yield from rest


def submission_fail(*, submission_id: int, reason: str) -> None:
    sub = Submission.objects.filter(pk=submission_id).first()
    if sub is None:
        return
    sql.delete_staging([sub.pk])
    sub.status = S.FAILED
    sub.summary = {**sub.summary, "failure": reason}
    sub.save(update_fields=["status", "summary"])


def submission_confirm(*, submission: Submission, user) -> Submission:
    """Save every row of a checked file without errors, in one transaction (set-based)."""
    lost = None
    with transaction.atomic():
        sub = (
            Submission.objects.select_for_update()
            .select_related("establishment")
            .get(pk=submission.pk)
        )
        if sub.status != S.VALIDATED or sub.rows_with_errors:
            raise ServiceError(
                _("Only a checked file without errors can be confirmed.")
                if sub.status != S.CONFIRMED
                else _("This file has already been saved.")
            )
        source = sql.Source.staging(sub.pk)
        rows = source.count()
        if rows != sub.summary.get("valid"):
            # The staging rows are gone (an unlogged table is emptied by a crash, and files
            # checked before the staging table existed have none): the file must be sent again,
            # which its FAILED status allows.
            lost = _("The checked rows of this file are no longer kept. Send the file again.")
            sub.status = S.FAILED
            sub.summary = {**sub.summary, "failure": lost}
            sub.save(update_fields=["status", "summary"])
        else:
            _save(
                source=source,
                rows=rows,
                kind=sub.kind,
                establishment=sub.establishment,
                period=sub.period,
                user=user,
                submission=sub,
            )
            sql.delete_staging([sub.pk])
            sub.status = S.CONFIRMED
            sub.confirmed_at = timezone.now()
            sub.save(update_fields=["status", "confirmed_at"])
    if lost:
        raise ServiceError(lost)
    return sub


def submit_one(
    *,
    establishment: Establishment,
    user,
    kind: str,
    period: dt.date | None,
    values: dict[str, str],
) -> None:
    """One movement or wage by the form: the same checks as a file row, saved at once."""
    check_period(kind=kind, period=period)
    reader = RowReader(kind=kind, period=period)
    row = reader.read(1, [str(values.get(c) or "").strip() for c in COLUMNS[kind]])
    with transaction.atomic(), sql.Load() as load:
        load.add([row.load_values()])
        errors = row.errors
        if row.key is not None:
            errors = errors + sql.check_loaded_row(
                kind=kind,
                columns=COLUMNS[kind],
                establishment_id=establishment.pk,
                period=period,
            )
        if errors:
            err = ServiceError(errors[0][1], field=errors[0][0])
            err.errors = errors
            raise err
        _save(
            source=sql.Source.loaded(),
            rows=1,
            kind=kind,
            establishment=establishment,
            period=period,
            user=user,
            submission=None,
        )


def _save(*, source, rows, kind, establishment, period, user, submission) -> None:
    try:
        with transaction.atomic():
            sql.save(
                source=source,
                kind=kind,
                establishment_id=establishment.pk,
                period=period,
                user=user,
                submission_id=submission.pk if submission else None,
                rows=rows,
            )
    except IntegrityError as exc:  # a record made by someone else since the check
        raise ServiceError(
            _("Some records changed since the file was checked. Send the file again.")
        ) from exc


def template_rows(kind: str) -> list[str]:
    return column_labels(kind)
