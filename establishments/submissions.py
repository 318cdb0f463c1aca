"""Coverage movements and wage files: parsing, row-by-row checks, confirmation.

A file (CSV or XLSX, by its content) is streamed row by row; the rows are checked in chunks of
``CHUNK`` with one query per table per chunk (civil registry, individuals, insurance periods,
wage records), never one per row. Two files are written as the rows go, so memory does not grow
with the file: the *errors file* (every row as sent plus an error column, for the officer) and the
*work file* (the normalised valid rows, for the confirmation).

Only a file with no errors can be confirmed (a file with errors is corrected and sent again as a
whole); confirming saves every row in one transaction, with bulk inserts and updates per chunk.
The same file (its SHA-256) is accepted once per establishment and kind.
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.exceptions import ServiceError
from accounts.fields import normalise_digits
from accounts.models import CivilRecord
from eservices.rules import RuleMissing, plain, rule
from eservices.services import sniff
from individuals.models import Individual, InsurancePeriod, WageRecord

from .models import Establishment, Movement, Submission

K = Submission.Kind
S = Submission.Status
CHUNK = 500  # rows per bulk lookup, per progress update and per bulk write
MAX_FILE_BYTES = 20 * 1024 * 1024
SHOWN_ERRORS = 200
MOVEMENT_KINDS = (K.START_MOVEMENTS, K.STOP_MOVEMENTS, K.PREV_YEARS_MOVEMENTS)
WAGE_KINDS = (K.JANUARY_WAGES, K.MONTHLY_WAGES, K.PREV_YEARS_WAGES)
START_KINDS = (K.START_MOVEMENTS, K.PREV_YEARS_MOVEMENTS)
PAST_KINDS = (K.PREV_YEARS_WAGES, K.PREV_YEARS_MOVEMENTS)
NN = re.compile(r"^\d{10}$")
MANDATORY = InsurancePeriod.Coverage.MANDATORY

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
WORK_FIELDS = ("line", "nn", "individual_id", "period_id", "date", "wage", "reason")


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
    text = io.TextIOWrapper(fh, encoding=_csv_encoding(fh), newline="")
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


# --- Checking rows ---------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: list[str]
    nn: str = ""
    date: dt.date | None = None
    wage: Decimal | None = None
    reason: str = ""
    individual_id: int | None = None
    period_id: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, field_name: str, message) -> None:
        self.errors.append((field_name, str(message)))

    @property
    def message(self) -> str:
        return "؛ ".join(m for _f, m in self.errors)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y")


def _parse_date(text: str) -> dt.date | None:
    text = normalise_digits(text)
    if " " in text or "T" in text:
        text = re.split(r"[ T]", text)[0]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def _parse_wage(text: str) -> Decimal | None:
    text = normalise_digits(text).replace("٫", ".").replace("٬", "").replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -3:
        return None
    return value


def _reason_code(text: str) -> str | None:
    t = text.strip().lower()
    if t in REASON_ALIASES:
        return REASON_ALIASES[t]
    for code, label in STOP_REASONS:
        if t in (code, str(label).lower()):
            return code
    return None


class Checker:
    """The checks of one submission, applied to chunks of rows (a handful of queries a chunk)."""

    def __init__(
        self, *, establishment: Establishment, kind: str, period: dt.date | None, today=None
    ):
        self.establishment = establishment
        self.kind = kind
        self.period = period
        self.today = today or timezone.localdate()
        self.columns = COLUMNS[kind]
        self.seen: dict[str, int] = {}  # national number -> first line (duplicates in the file)
        self._limits: dict[dt.date, tuple[Decimal | None, Decimal | None]] = {}

    def parse(self, line: int, cells: list[str]) -> Row:
        row = Row(line=line, cells=cells)
        values = dict(zip(self.columns, cells + [""] * len(self.columns), strict=False))
        row.nn = normalise_digits(values["national_number"])
        if not NN.match(row.nn):
            row.error("national_number", _("The national number must be exactly 10 digits."))
        elif row.nn in self.seen:
            row.error(
                "national_number",
                _("This national number is repeated in the file (line %(line)s).")
                % {"line": self.seen[row.nn]},
            )
        else:
            self.seen[row.nn] = line
        if "date" in self.columns:
            raw = values["date"]
            if raw or self.kind != K.PREV_YEARS_WAGES:
                row.date = _parse_date(raw)
                if row.date is None:
                    row.error("date", _("The date is not valid: write it as YYYY-MM-DD."))
                elif row.date > self.today:
                    row.error("date", _("The date cannot be in the future."))
                elif self.kind in PAST_KINDS and row.date.year != self.period.year:
                    row.error(
                        "date",
                        _("The date must be within the chosen year (%(year)s).")
                        % {"year": self.period.year},
                    )
        if "wage" in self.columns:
            row.wage = _parse_wage(values["wage"])
            if row.wage is None or row.wage <= 0:
                row.wage = None
                row.error("wage", _("The wage must be a positive amount in dinars."))
            else:
                on = self.period if self.kind in WAGE_KINDS else row.date
                if on is not None:
                    low, cap = self._limits_on(on)
                    if low is not None and row.wage < low:
                        row.error(
                            "wage",
                            _("The wage is below the minimum wage (%(amount)s JD).")
                            % {"amount": plain(low)},
                        )
                    if cap is not None and row.wage > cap:
                        row.error(
                            "wage",
                            _("The wage is above the maximum insurable wage (%(amount)s JD).")
                            % {"amount": plain(cap)},
                        )
        if "reason" in self.columns:
            raw = values["reason"]
            if raw or self.kind == K.STOP_MOVEMENTS or row.date is not None:
                code = _reason_code(raw)
                if code is None:
                    row.error("reason", _("Choose a reason for the stop from the list."))
                else:
                    row.reason = code
        return row

    def _limits_on(self, on: dt.date) -> tuple[Decimal | None, Decimal | None]:
        if on not in self._limits:
            out = []
            for key in ("wage.minimum", "wage.cap"):
                try:
                    out.append(rule(key, on=on).value)
                except RuleMissing:
                    out.append(None)
            self._limits[on] = (out[0], out[1])
        return self._limits[on]

    def check_chunk(self, rows: list[Row]) -> None:
        """The checks that need the database: four queries for the whole chunk."""
        nns = {r.nn for r in rows if NN.match(r.nn)}
        if not nns:
            return
        registered = set(
            CivilRecord.objects.filter(kind=CivilRecord.Kind.JORDANIAN, number__in=nns).values_list(
                "number", flat=True
            )
        )
        people = dict(
            Individual.objects.filter(national_number__in=nns)
            .exclude(national_number="")  # lets PostgreSQL use the partial unique index
            .values_list("national_number", "id")
        )
        periods: dict[int, list[tuple]] = {}
        for p in InsurancePeriod.objects.filter(individual_id__in=people.values()).values_list(
            "id", "individual_id", "establishment_id", "start_date", "end_date"
        ):
            periods.setdefault(p[1], []).append(p)
        wages_elsewhere: set[int] = set()
        if self.kind in WAGE_KINDS and people:
            wages_elsewhere = set(
                WageRecord.objects.filter(individual_id__in=people.values(), month=self.period)
                .exclude(establishment=self.establishment)
                .values_list("individual_id", flat=True)
            )
        est_id = self.establishment.pk
        for row in rows:
            if row.nn not in nns:
                continue
            if row.nn not in registered:
                row.error(
                    "national_number", _("This national number is not in the civil registry.")
                )
                continue
            row.individual_id = people.get(row.nn)
            mine = periods.get(row.individual_id, [])
            if self.kind in START_KINDS:
                if row.date is not None and any(p[4] is None or p[4] >= row.date for p in mine):
                    row.error(
                        "date",
                        _(
                            "This person already has a coverage period that is open or overlaps"
                            " this date."
                        ),
                    )
            elif self.kind == K.STOP_MOVEMENTS:
                if row.date is not None:
                    p = next(
                        (p for p in mine if p[2] == est_id and p[4] is None and p[3] <= row.date),
                        None,
                    )
                    if p is None:
                        row.error(
                            "national_number",
                            _("This person is not covered by this establishment on that date."),
                        )
                    else:
                        row.period_id = p[0]
            else:
                first = self.period
                last = _month_end(first)
                p = next(
                    (
                        p
                        for p in mine
                        if p[2] == est_id and p[3] <= last and (p[4] is None or p[4] >= first)
                    ),
                    None,
                )
                if p is None:
                    row.error(
                        "national_number",
                        _("This person is not covered by this establishment in that month."),
                    )
                    continue
                row.period_id = p[0]
                if row.individual_id in wages_elsewhere:
                    row.error(
                        "national_number",
                        _("A wage for this month is already recorded by another establishment."),
                    )
                if row.date is not None:
                    if p[4] is not None:
                        row.error("date", _("This coverage period is already stopped."))
                    elif row.date < p[3]:
                        row.error("date", _("The stop date is before the coverage start date."))


def _month_end(first: dt.date) -> dt.date:
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _is_header(cells: list[str]) -> bool:
    return not NN.match(normalise_digits(cells[0] if cells else ""))


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
    """Check every row of the file, streamed, writing the errors file and the work file."""
    sub = submission
    fmt = sub.summary.get("format", "csv")
    checker = Checker(establishment=sub.establishment, kind=sub.kind, period=sub.period)
    labels = column_labels(sub.kind)
    total = valid = bad = 0
    shown: list[dict] = []
    with (
        sub.file.open("rb") as fh,
        tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="") as err_tmp,
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as work_tmp,
    ):
        estimate = count_rows(fh, fmt)
        Submission.objects.filter(pk=sub.pk).update(rows_total=estimate, rows_done=0)
        err_out = csv.writer(err_tmp)
        err_out.writerow([*labels, _("Errors")])
        work_out = csv.writer(work_tmp)
        work_out.writerow(WORK_FIELDS)
        rows = iter_rows(fh, fmt)
        first = next(rows, None)
        if first is not None and not _is_header(first[1]):
            rows = _prepend(first, rows)
        for chunk in _chunks(rows):
            parsed = [checker.parse(line, cells) for line, cells in chunk]
            checker.check_chunk(parsed)
            for r in parsed:
                total += 1
                width = max(len(labels), len(r.cells))
                cells = (r.cells + [""] * width)[: len(labels)]
                err_out.writerow([*cells, r.message])
                if r.errors:
                    bad += 1
                    if len(shown) < SHOWN_ERRORS:
                        shown.append({"line": r.line, "nn": r.nn, "errors": r.message})
                else:
                    valid += 1
                    work_out.writerow(
                        [
                            r.line,
                            r.nn,
                            r.individual_id or "",
                            r.period_id or "",
                            r.date.isoformat() if r.date else "",
                            str(r.wage) if r.wage is not None else "",
                            r.reason,
                        ]
                    )
            Submission.objects.filter(pk=sub.pk).update(
                rows_done=total, rows_total=max(total, estimate)
            )
            if progress:
                progress(total)
        err_tmp.seek(0)
        work_tmp.seek(0)
        sub.errors_file.save(f"{sub.kind}-errors.csv", File(err_tmp), save=False)
        work_name = default_storage.save(f"private/submissions/work/{sub.pk}.csv", File(work_tmp))
    sub.rows_total = sub.rows_done = total
    sub.rows_with_errors = bad
    sub.status = S.VALIDATED if total and not bad else S.INVALID
    sub.summary = {
        **sub.summary,
        "rows": total,
        "valid": valid,
        "errors": bad,
        "shown": shown,
        "work_file": work_name,
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
    return sub


def _prepend(first, rest):
    yield first
    yield from rest


def submission_fail(*, submission_id: int, reason: str) -> None:
    sub = Submission.objects.filter(pk=submission_id).first()
    if sub is None:
        return
    sub.status = S.FAILED
    sub.summary = {**sub.summary, "failure": reason}
    sub.save(update_fields=["status", "summary"])


def _work_rows(name: str) -> Iterator[Row]:
    with default_storage.open(name, "rb") as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        for rec in csv.DictReader(text):
            yield Row(
                line=int(rec["line"]),
                cells=[],
                nn=rec["nn"],
                individual_id=int(rec["individual_id"]) if rec["individual_id"] else None,
                period_id=int(rec["period_id"]) if rec["period_id"] else None,
                date=dt.date.fromisoformat(rec["date"]) if rec["date"] else None,
                wage=Decimal(rec["wage"]) if rec["wage"] else None,
                reason=rec["reason"],
            )


def submission_confirm(*, submission: Submission, user) -> Submission:
    """Save every row of a checked file without errors, in one transaction."""
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
        for chunk in _chunks(_work_rows(sub.summary["work_file"])):
            _apply(
                rows=chunk,
                kind=sub.kind,
                establishment=sub.establishment,
                period=sub.period,
                user=user,
                submission=sub,
            )
        sub.status = S.CONFIRMED
        sub.confirmed_at = timezone.now()
        sub.save(update_fields=["status", "confirmed_at"])
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
    checker = Checker(establishment=establishment, kind=kind, period=period)
    cells = [str(values.get(c) or "") for c in COLUMNS[kind]]
    row = checker.parse(1, cells)
    checker.check_chunk([row])
    if row.errors:
        err = ServiceError(row.errors[0][1], field=row.errors[0][0])
        err.errors = row.errors
        raise err
    with transaction.atomic():
        _apply(
            rows=[row],
            kind=kind,
            establishment=establishment,
            period=period,
            user=user,
            submission=None,
        )


def _apply(
    *,
    rows: list[Row],
    kind: str,
    establishment: Establishment,
    period: dt.date | None,
    user,
    submission: Submission | None,
) -> None:
    if kind in START_KINDS:
        _apply_starts(rows, establishment, user, submission)
        return
    if kind == K.STOP_MOVEMENTS:
        _apply_stops(rows, establishment, user, submission)
        return
    WageRecord.objects.bulk_create(
        [
            WageRecord(
                individual_id=r.individual_id,
                establishment=establishment,
                month=period,
                wage=r.wage,
                coverage=MANDATORY,
                submission=submission,
            )
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["individual", "month"],
        update_fields=["wage", "establishment", "coverage", "submission"],
    )
    stops = [r for r in rows if r.date is not None]
    if stops:
        _apply_stops(stops, establishment, user, submission)


def _apply_starts(rows, establishment, user, submission) -> None:
    missing = [r for r in rows if r.individual_id is None]
    if missing:
        records = {
            c.number: c
            for c in CivilRecord.objects.filter(
                kind=CivilRecord.Kind.JORDANIAN, number__in=[r.nn for r in missing]
            )
        }
        created = bulk_create_with_history(
            [
                Individual(
                    is_jordanian=True,
                    name_ar=records[r.nn].name_ar,
                    name_en=records[r.nn].name_en,
                    birth_date=records[r.nn].birth_date,
                    sex=records[r.nn].sex,
                    national_number=r.nn,
                    id_card_number=records[r.nn].id_card_number,
                    insurance_number=records[r.nn].insurance_number,
                    nationality=records[r.nn].nationality or "JO",
                    residence_country="JO",
                    education_level="",
                )
                for r in missing
            ],
            Individual,
        )
        ids = {i.national_number: i.pk for i in created}
        if any(i is None for i in ids.values()):
            ids = dict(
                Individual.objects.filter(national_number__in=ids).values_list(
                    "national_number", "id"
                )
            )
        for r in missing:
            r.individual_id = ids[r.nn]
    bulk_create_with_history(
        [
            InsurancePeriod(
                individual_id=r.individual_id,
                establishment=establishment,
                coverage=MANDATORY,
                start_date=r.date,
                monthly_wage=r.wage,
            )
            for r in rows
        ],
        InsurancePeriod,
    )
    Movement.objects.bulk_create(
        [
            Movement(
                establishment=establishment,
                individual_id=r.individual_id,
                kind=Movement.Kind.START,
                date=r.date,
                wage=r.wage,
                submission=submission,
                created_by=user,
            )
            for r in rows
        ]
    )


def _apply_stops(rows, establishment, user, submission) -> None:
    by_id = {r.period_id: r for r in rows}
    periods = list(
        InsurancePeriod.objects.select_for_update().filter(
            pk__in=by_id, establishment=establishment, end_date__isnull=True
        )
    )
    if len(periods) != len(by_id):
        raise ServiceError(
            _("Some coverage periods changed since the file was checked. Send the file again.")
        )
    for p in periods:
        p.end_date = by_id[p.pk].date
    bulk_update_with_history(periods, InsurancePeriod, ["end_date"])
    Movement.objects.bulk_create(
        [
            Movement(
                establishment=establishment,
                individual_id=r.individual_id,
                kind=Movement.Kind.STOP,
                date=r.date,
                stop_reason=r.reason,
                submission=submission,
                created_by=user,
            )
            for r in rows
        ]
    )


def template_rows(kind: str) -> list[str]:
    return column_labels(kind)
