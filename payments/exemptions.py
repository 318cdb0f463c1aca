"""est.exemption-request (Defense Order 15) and est.exemption-documents.

The programme: an establishment with overdue contributions asks to be exempted from the
late-payment penalties on its debts up to a cut-off month, if it pays the principal — in full, or a
down payment and the rest in monthly instalments. No rule is given in RULES.md: the highest number
of instalments, the lowest down payment and the cut-off are staff-editable rule rows
(``payments/rules_seed_exemptions.py``), provisional until the Corporation confirms them.

What is owed and what is exempted, from the ledger (``payments.ledger``):

- the balance B is what the establishment owes now (every charge less every credit);
- the penalties covered P are the late-payment penalties charged on contribution months up to the
  cut-off (an entry's ``period``; an entry without one counts by its posting date), net of staff
  corrections of those penalties and of earlier exemptions (and their reversals);
- payments are taken as settling contributions before penalties (the reading most favourable to
  the establishment), so the penalties waived are min(P, B) and the principal to pay is B − waived.

Approval posts one EXEMPTION entry (negative: the penalties waived, key ``exemption:<reference>``),
schedules principal − down payment in monthly instalments (``payments.instalments``), and
refreshes the contributions bill, which then asks for the down payment (or the whole principal when
paying in full).

Cancelling (est.exemption-documents): while undecided, the engine's cancellation. After approval
the source offers "cancel the request" beside printing the promissory notes, so the establishment
may still withdraw from the programme; since the waiver is conditional on paying the principal,
withdrawing cancels the unpaid instalments (owed again through the contributions bill) and
reverses the waiver with a CORRECTION entry (key ``exemption-cancel:<reference>``). Instalments
already paid stay paid. Once the principal is paid (the plan completed, or when paying in full,
payments since the approval reach the principal) the exemption is final and cannot be cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import add_months
from eservices.models import Document, RequestEvent, ServiceRequest
from eservices.notifications import notify
from eservices.rules import Figure, RuleMissing, Working, money, plain

from .arabic_words import amount_in_words, amount_in_words_only
from .instalments import active_plan, cancel_plan, create_plan, split
from .ledger import (
    ZERO,
    account_for_establishment,
    balance,
    post,
    refresh_contributions_bill,
)
from .models import Account, Installment, InstallmentPlan, LedgerEntry

CODE = "est.exemption-request"
DOCUMENTS_CODE = "est.exemption-documents"
FULL, INSTALMENTS = "full", "instalments"
BENEFICIARY_AR = "المؤسسة العامة للضمان الاجتماعي"
PLACE_AR = "عمّان"


# --- the programme's rules and the debts it covers ------------------------------------------------


def yyyymmdd(value: Decimal) -> dt.date:
    """A date kept in the rule table as the number YYYYMMDD."""
    n = int(value)
    return dt.date(n // 10000, n // 100 % 100, n % 100)


@dataclass(frozen=True)
class Programme:
    max_instalments: int
    down_payment_ratio: Decimal
    debts_until: dt.date


def programme(w: Working, on: dt.date) -> Programme:
    return Programme(
        max_instalments=int(w.use("exemption.max_instalments", on=on)),
        down_payment_ratio=w.use("exemption.down_payment_ratio", on=on),
        debts_until=yyyymmdd(w.use("exemption.debts_until", on=on)),
    )


def establishment_account(establishment) -> Account | None:
    """The establishment's account if it has one (reading never opens one)."""
    return Account.objects.filter(
        kind=Account.Kind.ESTABLISHMENT, establishment=establishment
    ).first()


def covered_penalties(account: Account, until: dt.date) -> Decimal:
    """Penalties on contribution months up to ``until``, net of their corrections and of earlier
    exemptions and their reversals (one query)."""
    covered = Q(period__lte=until) | Q(period__isnull=True, posted_on__lte=until)
    rev = Q(reverses__period__lte=until) | Q(
        reverses__period__isnull=True, reverses__posted_on__lte=until
    )
    K = LedgerEntry.Kind
    sums = LedgerEntry.objects.filter(account=account).aggregate(
        penalties=Sum("amount", filter=Q(kind=K.PENALTY) & covered),
        corrected=Sum("amount", filter=Q(kind=K.CORRECTION, reverses__kind=K.PENALTY) & rev),
        exempted=Sum("amount", filter=Q(kind=K.EXEMPTION)),
        reinstated=Sum("amount", filter=Q(kind=K.CORRECTION, reverses__kind=K.EXEMPTION)),
    )
    return sum((v or ZERO for v in sums.values()), ZERO)


# --- the figure ---------------------------------------------------------------------------------


@dataclass
class ExemptionFigure(Figure):
    """``amount``: the penalties waived; the rest is the principal's schedule."""

    balance: Decimal = ZERO
    penalties: Decimal = ZERO
    waived: Decimal = ZERO
    principal: Decimal = ZERO
    min_down_payment: Decimal = ZERO
    down_payment: Decimal = ZERO
    months: int = 0
    first_due: dt.date | None = None
    instalments: list[tuple[int, dt.date, Decimal]] = field(default_factory=list)

    @property
    def scheduled(self) -> Decimal:
        return sum((a for _n, _d, a in self.instalments), ZERO)


def first_due_date(w: Working, on: dt.date) -> dt.date:
    """The first instalment falls due on the contributions due day of the next month."""
    day = int(w.use("late.due_day", on=on))
    nxt = add_months(on.replace(day=1), 1)
    return nxt.replace(day=min(day, 28))


def exemption_figure(
    *,
    balance_owed: Decimal,
    penalties: Decimal,
    payment: str,
    months: int | None,
    down_payment: Decimal | None,
    on: dt.date,
) -> ExemptionFigure:
    """The exemption from explicit inputs: what is waived, what is paid and how."""
    w = Working()
    p = programme(w, on)
    fig = ExemptionFigure(payable=False, amount=None, working=w)
    fig.balance = Decimal(balance_owed)
    fig.penalties = max(Decimal(penalties), ZERO)
    fig.waived = max(min(fig.penalties, fig.balance), ZERO)
    fig.principal = fig.balance - fig.waived
    w.line(_("Amount owed by the establishment (JD)"), f"{fig.balance:.3f}")
    w.line(
        _("Late-payment penalties on contribution months up to %(date)s (JD)")
        % {"date": p.debts_until.isoformat()},
        f"{fig.penalties:.3f}",
    )
    w.line(
        _("Penalties waived (JD)"),
        f"{fig.waived:.3f}",
        f"min({fig.penalties:.3f}, {fig.balance:.3f})",
    )
    w.line(
        _("Principal to pay = amount owed − penalties waived (JD)"),
        f"{fig.principal:.3f}",
        f"{fig.balance:.3f} − {fig.waived:.3f}",
    )
    reasons: list[str] = []
    if fig.waived <= 0:
        reasons.append(
            _(
                "No late-payment penalties on contribution months up to %(date)s are owed: "
                "there is nothing to exempt."
            )
            % {"date": p.debts_until.isoformat()}
        )
    if payment == INSTALMENTS:
        fig.min_down_payment = money(fig.principal * p.down_payment_ratio)
        w.line(
            _("Lowest down payment = principal × share (JD)"),
            f"{fig.min_down_payment:.3f}",
            f"{fig.principal:.3f} × {plain(p.down_payment_ratio)}",
        )
        fig.down_payment = Decimal(down_payment or 0)
        fig.months = int(months or 0)
        rest = fig.principal - fig.down_payment
        w.line(_("Down payment (JD)"), f"{fig.down_payment:.3f}")
        w.line(
            _("Amount in instalments = principal − down payment (JD)"),
            f"{rest:.3f}",
            f"{fig.principal:.3f} − {fig.down_payment:.3f}",
        )
        w.line(_("Number of monthly instalments"), fig.months, f"≤ {p.max_instalments}")
        if fig.months < 1 or fig.months > p.max_instalments:
            reasons.append(
                _("The number of instalments is from 1 to %(max)s.") % {"max": p.max_instalments}
            )
        if fig.down_payment < fig.min_down_payment:
            reasons.append(
                _("The down payment must be at least %(min)s JD (%(share)s%% of the principal).")
                % {
                    "min": f"{fig.min_down_payment:.3f}",
                    "share": plain(p.down_payment_ratio * 100),
                }
            )
        if rest <= 0:
            reasons.append(
                _("The down payment covers the whole principal: choose payment in full.")
            )
        elif 1 <= fig.months <= p.max_instalments:
            each = (rest / fig.months).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
            if each <= 0:
                reasons.append(_("The amount is too small for that many instalments."))
            else:
                fig.first_due = first_due_date(w, on)
                amounts = split(rest, fig.months)
                fig.instalments = [
                    (i + 1, add_months(fig.first_due, i), a) for i, a in enumerate(amounts)
                ]
                w.line(
                    _("Monthly instalment, rounded down to the fils (JD)"),
                    f"{each:.3f}",
                    f"{rest:.3f} ÷ {fig.months}",
                )
                w.line(
                    _("Last instalment, with the remainder (JD)"),
                    f"{amounts[-1]:.3f}",
                    f"{rest:.3f} − {each:.3f} × {fig.months - 1}",
                )
                w.line(_("First instalment due"), fig.first_due.isoformat())
    else:
        fig.down_payment = fig.principal
        w.line(_("Paid in full (JD)"), f"{fig.principal:.3f}")
    fig.reasons = reasons
    fig.payable = not reasons
    fig.amount = fig.waived if fig.payable else None
    return fig


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def figure_for_account(account: Account | None, data: dict, on: dt.date) -> ExemptionFigure:
    """The figure from the account's ledger and the request's answers."""
    w = Working()
    until = programme(w, on).debts_until
    owed = balance(account) if account else ZERO
    penalties = covered_penalties(account, until) if account else ZERO
    return exemption_figure(
        balance_owed=owed,
        penalties=penalties,
        payment=str(data.get("payment") or FULL),
        months=int(data["instalments"]) if str(data.get("instalments") or "").isdigit() else None,
        down_payment=_decimal(data.get("down_payment")),
        on=on,
    )


# --- the request on the engine -------------------------------------------------------------------


def _establishment(user):
    from establishments.selectors import establishment_of

    return establishment_of(user) if user is not None else None


def open_request(user) -> ServiceRequest | None:
    return ServiceRequest.objects.filter(
        applicant=user, service_code=CODE, status__in=ServiceRequest.OPEN
    ).first()


def eligibility(user, today: dt.date) -> list[str]:
    """A liaison officer of an active establishment that owes penalties the programme covers,
    with no active instalment plan and no exemption request being decided."""
    from establishments.requests import officer_eligibility

    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    est = _establishment(user)
    try:
        until = programme(Working(), today).debts_until
    except RuleMissing:
        return [_("The exemption programme is not open on this date.")]
    account = establishment_account(est)
    owed = balance(account) if account else ZERO
    if owed <= 0:
        return [_("The establishment owes nothing: there is nothing to exempt or to schedule.")]
    if active_plan(account) is not None:
        return [
            _(
                "The establishment already pays an active instalment plan: a new exemption "
                "request is possible once it is completed or cancelled."
            )
        ]
    pending = open_request(user)
    if pending is not None:
        return [_("The exemption request %(ref)s is being decided.") % {"ref": pending.reference}]
    if covered_penalties(account, until) <= 0:
        return [
            _(
                "No late-payment penalties on contribution months up to %(date)s are owed: "
                "there is nothing to exempt."
            )
            % {"date": until.isoformat()}
        ]
    return []


class ExemptionRequestForm(forms.Form):
    payment = forms.ChoiceField(
        label=gettext_lazy("How will the establishment pay the principal?"),
        choices=[
            (FULL, gettext_lazy("In full")),
            (INSTALMENTS, gettext_lazy("A down payment, then monthly instalments")),
        ],
        widget=forms.RadioSelect,
    )
    instalments = forms.IntegerField(
        label=gettext_lazy("Number of monthly instalments"),
        min_value=1,
        required=False,
    )
    down_payment = forms.DecimalField(
        label=gettext_lazy("Down payment (JD)"),
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0"),
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.001", "inputmode": "decimal"}),
    )
    signatory_name = forms.CharField(
        label=gettext_lazy("Name of the authorised signatory of the promissory notes"),
        max_length=200,
    )
    acknowledge = forms.BooleanField(
        label=gettext_lazy(
            "I acknowledge that the penalties are waived on condition that the principal is "
            "paid, and that if the establishment withdraws, the waiver is cancelled and the "
            "penalties are owed again."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        est = _establishment(user)
        if est is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "signatory_name": est.signatory_name,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        try:
            p = programme(Working(), today)
        except RuleMissing:
            return
        self.fields["instalments"].max_value = p.max_instalments
        self.fields["instalments"].widget.attrs["max"] = p.max_instalments
        self.fields["instalments"].validators.append(MaxValueValidator(p.max_instalments))
        self.fields["instalments"].help_text = _("At most %(max)s.") % {"max": p.max_instalments}
        account = establishment_account(est) if est is not None else None
        if account is not None:
            fig = figure_for_account(account, {"payment": FULL}, today)
            self.fields["down_payment"].help_text = _(
                "The principal to pay is %(principal)s JD; the down payment is at least "
                "%(share)s%% of it (a provisional figure)."
            ) % {
                "principal": f"{fig.principal:.3f}",
                "share": plain(p.down_payment_ratio * 100),
            }

    def clean(self):
        data = super().clean()
        if data.get("payment") == INSTALMENTS:
            if not data.get("instalments"):
                self.add_error("instalments", _("Enter the number of monthly instalments."))
            if data.get("down_payment") is None:
                self.add_error("down_payment", _("Enter the down payment."))
        else:
            data["instalments"] = None
            data["down_payment"] = None
        return data


def compute(user, data: dict) -> ExemptionFigure | None:
    est = _establishment(user)
    if est is None or not data.get("payment"):
        return None
    return figure_for_account(establishment_account(est), data, timezone.localdate())


def on_approve(req: ServiceRequest) -> None:
    """Waive the penalties (one EXEMPTION entry), schedule the principal less the down payment,
    refresh the contributions bill. The figure is worked out again on the ledger as it is now."""
    from establishments.models import Establishment

    est = Establishment.objects.select_for_update(of=("self",)).get(
        liaison_officer__user=req.applicant
    )
    account = account_for_establishment(est)
    Account.objects.select_for_update().filter(pk=account.pk).first()
    if active_plan(account) is not None:
        raise ServiceError(_("The establishment already has an active instalment plan."))
    today = timezone.localdate()
    fig = figure_for_account(account, req.data, today)
    if not fig.payable:
        raise ServiceError(fig.reasons[0])
    working = fig.working.as_json()
    post(
        account=account,
        kind=LedgerEntry.Kind.EXEMPTION,
        key=f"exemption:{req.reference}",
        amount=-fig.waived,
        memo=_("Late-payment penalties waived (Defense Order 15), request %(ref)s")
        % {"ref": req.reference},
        details={
            "request": req.reference,
            "penalties": str(fig.penalties),
            "waived": str(fig.waived),
            "principal": str(fig.principal),
            "down_payment": str(fig.down_payment),
            "working": working,
        },
        user=req.decided_by,
    )
    if fig.instalments:
        create_plan(account, fig.scheduled, fig.months, fig.first_due, request=req)
    refresh_contributions_bill(account)
    req.amount = fig.waived
    req.working = working
    req.save(update_fields=["amount", "working", "updated_at"])
    notify(
        user=req.applicant,
        request=req,
        title=_("Exemption %(ref)s: penalties waived") % {"ref": req.reference},
        body=_("%(waived)s JD of penalties are waived. Print the promissory notes from the portal.")
        % {"waived": f"{fig.waived:.3f}"}
        if fig.instalments
        else _("%(waived)s JD of penalties are waived. Pay the principal of %(principal)s JD.")
        % {"waived": f"{fig.waived:.3f}", "principal": f"{fig.principal:.3f}"},
        detail=_("Your exemption requests and documents: %(url)s")
        % {"url": reverse("payments:exemption_documents")},
    )


# --- after approval: withdrawing ------------------------------------------------------------------


def exemption_entry(req: ServiceRequest) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.EXEMPTION, key=f"exemption:{req.reference}"
    ).first()


def is_final(req: ServiceRequest, entry: LedgerEntry | None = None) -> bool:
    """The principal is paid: the plan completed, or (paying in full) the payments since the
    approval reach the principal. A final exemption cannot be withdrawn."""
    plan = InstallmentPlan.objects.filter(request=req).first()
    if plan is not None:
        return plan.status == InstallmentPlan.Status.COMPLETED
    entry = entry or exemption_entry(req)
    if entry is None or req.decided_at is None:
        return False
    principal = Decimal(entry.details.get("principal", "0"))
    paid = -(
        LedgerEntry.objects.filter(
            account=entry.account,
            kind=LedgerEntry.Kind.PAYMENT,
            posted_on__gte=timezone.localdate(req.decided_at),
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return paid >= principal


def plan_of(req: ServiceRequest) -> InstallmentPlan | None:
    """The request's plan (from the select_related cache when the request was read with it)."""
    try:
        return req.installment_plan
    except InstallmentPlan.DoesNotExist:
        return None


def can_withdraw(req: ServiceRequest) -> bool:
    return withdrawable([req]).get(req.pk, False)


def withdrawable(reqs) -> dict[int, bool]:
    """Which of these requests the establishment may still withdraw from, in a fixed number of
    queries (plus one for each approved request paid in full, to see what was paid)."""
    approved = [r for r in reqs if r.status == ServiceRequest.Status.APPROVED and r.reference]
    result = {r.pk: False for r in reqs}
    if not approved:
        return result
    entries = {
        e.key: e
        for e in LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.EXEMPTION, key__in=[f"exemption:{r.reference}" for r in approved]
        ).annotate(withdrawn=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))))
    }
    plans = {
        p.request_id: p
        for p in InstallmentPlan.objects.filter(request__in=[r.pk for r in approved])
    }
    for r in approved:
        entry = entries.get(f"exemption:{r.reference}")
        if entry is None or entry.withdrawn:
            continue
        plan = plans.get(r.pk)
        if plan is not None:
            result[r.pk] = plan.status != InstallmentPlan.Status.COMPLETED
        else:
            result[r.pk] = not is_final(r, entry)
    return result


def exemption_withdraw(*, req: ServiceRequest, actor, by_staff: bool = False) -> LedgerEntry:
    """Withdraw an approved exemption: cancel the unpaid instalments and reverse the waiver with a
    CORRECTION entry; the contributions bill is refreshed. Returns the correction."""
    with transaction.atomic():
        req = ServiceRequest.objects.select_for_update().get(pk=req.pk)
        if req.service_code != CODE or (not by_staff and req.applicant_id != actor.pk):
            raise ServiceError(_("This request can no longer be changed."))
        if req.status != ServiceRequest.Status.APPROVED:
            raise ServiceError(_("Only an approved exemption can be withdrawn."))
        entry = exemption_entry(req)
        if entry is None or entry.reversals.exists():
            raise ServiceError(_("This exemption is already cancelled."))
        Account.objects.select_for_update().filter(pk=entry.account_id).first()
        if is_final(req, entry):
            raise ServiceError(
                _("The principal is paid: the exemption is final and cannot be cancelled.")
            )
        plan = InstallmentPlan.objects.filter(request=req).first()
        if plan is not None and plan.status == InstallmentPlan.Status.ACTIVE:
            cancel_plan(plan)
        correction, _created = post(
            account=entry.account,
            kind=LedgerEntry.Kind.CORRECTION,
            key=f"exemption-cancel:{req.reference}",
            amount=-entry.amount,
            memo=_("Exemption %(ref)s withdrawn: the penalties are owed again")
            % {"ref": req.reference},
            details={"request": req.reference, "by_staff": by_staff},
            reverses=entry,
            user=actor,
        )
        refresh_contributions_bill(entry.account)
        RequestEvent.objects.create(
            request=req,
            actor=actor,
            actor_kind=RequestEvent.Actor.STAFF if by_staff else RequestEvent.Actor.APPLICANT,
            action="exemption_withdrawn",
            from_status=req.status,
            to_status=req.status,
            note=_(
                "The exemption was withdrawn: unpaid instalments cancelled, penalties owed again."
            ),
        )
        notify(
            user=req.applicant,
            request=req,
            title=_("Exemption %(ref)s cancelled") % {"ref": req.reference},
            body=_("The exemption %(ref)s is cancelled: %(amount)s JD of penalties are owed again.")
            % {"ref": req.reference, "amount": f"{entry.amount.copy_abs():.3f}"},
        )
    return correction


# --- documents ------------------------------------------------------------------------------------


def exemption_requests(user):
    """The establishment's exemption requests, newest first, with their plans and instalments."""
    return (
        ServiceRequest.objects.filter(applicant=user, service_code=CODE)
        .select_related("installment_plan")
        .prefetch_related("installment_plan__installments")
        .order_by("-created_at")
    )


def _reuse_or_issue(*, req, user, title, template, context, certifies) -> Document:
    """The same document is issued once: printing again returns it (unless it failed)."""
    from eservices.documents import document_issue

    existing = (
        Document.objects.filter(request=req, title=title, certifies=certifies)
        .exclude(status=Document.Status.FAILED)
        .first()
    )
    if existing is not None:
        return existing
    return document_issue(
        owner=user,
        request=req,
        kind=Document.Kind.LETTER,
        title=title,
        template=template,
        context=context,
        certifies=certifies,
    )


def _est_facts(est) -> dict:
    address = "، ".join(
        x
        for x in (est.governorate, est.district, est.street, est.building_number, est.address)
        if x
    )
    return {
        "name": est.name,
        "insurance_number": est.insurance_number,
        "address": address,
    }


def request_print(*, req: ServiceRequest, user) -> Document:
    """The request as a PDF: answers, the figure with its working, the schedule, the status."""
    from eservices.declarations import get_request_service
    from eservices.services import answers_as_rows

    if req.applicant_id != user.pk or req.service_code != CODE or req.reference is None:
        raise ServiceError(_("Only a sent request can be printed."))
    est = _establishment(user)
    spec = get_request_service(CODE)
    plan = InstallmentPlan.objects.filter(request=req).first()
    rows = [[label, value] for _n, label, value in answers_as_rows(spec, req.data, user)]
    instalments = (
        [
            [i.sequence, i.due_date.isoformat(), f"{i.amount:.3f}", str(i.get_status_display())]
            for i in plan.installments.all()
        ]
        if plan
        else []
    )
    context = {
        "service": str(spec.name),
        "reference": req.reference,
        "status": str(req.get_status_display()),
        "submitted_at": timezone.localtime(req.submitted_at).strftime("%Y-%m-%d"),
        "establishment": _est_facts(est),
        "rows": rows,
        "amount": f"{req.amount:.3f}" if req.amount is not None else "",
        "working": req.working,
        "plan_status": str(plan.get_status_display()) if plan else "",
        "instalments": instalments,
    }
    certifies = {
        "الخدمة": "طلب الاستفادة من الإعفاءات بموجب أمر الدفاع 15",
        "رقم الطلب": req.reference,
        "اسم المنشأة": est.name,
        "رقم المنشأة التأميني": est.insurance_number,
        "حالة الطلب": _status_ar(req),
    }
    if req.amount is not None:
        certifies["الغرامات المعفاة (دينار)"] = f"{req.amount:.3f}"
    return _reuse_or_issue(
        req=req,
        user=user,
        title=_("Exemption request %(ref)s") % {"ref": req.reference},
        template="pdf/exemption_request.html",
        context=context,
        certifies=certifies,
    )


def _status_ar(req: ServiceRequest) -> str:
    with translation.override("ar"):
        return str(req.get_status_display())


def promissory_notes(*, req: ServiceRequest, user) -> Document:
    """One PDF with one promissory note per instalment (in Arabic, the language of the note):
    amount in figures and in words, due date, drawer the establishment, beneficiary the
    Corporation."""
    if req.applicant_id != user.pk or req.service_code != CODE:
        raise ServiceError(_("This request can no longer be changed."))
    plan = InstallmentPlan.objects.filter(request=req).first()
    if req.status != ServiceRequest.Status.APPROVED or plan is None:
        raise ServiceError(_("Promissory notes exist for an approved request paid in instalments."))
    if plan.status == InstallmentPlan.Status.CANCELLED:
        raise ServiceError(_("The instalment plan is cancelled: its notes are void."))
    est = _establishment(user)
    notes = [
        {
            "number": i.sequence,
            "of": plan.months,
            "amount": f"{i.amount:,.3f}",
            "words": amount_in_words_only(i.amount),
            "due_date": i.due_date.isoformat(),
        }
        for i in plan.installments.exclude(status=Installment.Status.CANCELLED)
    ]
    issued_on = timezone.localdate(req.decided_at).isoformat()
    context = {
        "reference": req.reference,
        "establishment": _est_facts(est),
        "signatory": str(req.data.get("signatory_name") or est.signatory_name or ""),
        "beneficiary": BENEFICIARY_AR,
        "place": PLACE_AR,
        "issued_on": issued_on,
        "notes": notes,
        "total": f"{plan.total:,.3f}",
        "total_words": amount_in_words(plan.total),
    }
    certifies = {
        "رقم الطلب": req.reference,
        "الساحب": f"{est.name} ({est.insurance_number})",
        "المستفيد": BENEFICIARY_AR,
        "عدد الكمبيالات": str(len(notes)),
        "مجموع الكمبيالات (دينار)": f"{plan.total:.3f}",
        "تاريخ التحرير": issued_on,
    }
    with translation.override("ar"):
        return _reuse_or_issue(
            req=req,
            user=user,
            title=_("Promissory notes of request %(ref)s") % {"ref": req.reference},
            template="pdf/promissory_notes.html",
            context=context,
            certifies=certifies,
        )
