"""Optional subscription, self-employment and drivers, declared on the e-service engine.

Requests: opt.enroll, opt.continue, opt.stop, opt.annual-increase, self.enroll, self.bracket-change,
self.stop, self.add-driver, est.add-driver — each a form, who may use it (with the reasons an
ineligible person is told), its documents, its decision time, the monthly contribution with its
working (check your answers), and what approval does, in the decision's transaction.
Pages: opt.basic-data, opt.payments, self.account, self.driver-card (payments/subscriptions/views.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import age_on, month_start
from eservices.declarations import DocumentSpec, RequestService, register, register_page
from eservices.rules import plain, rule

from .subscriptions import forms as f
from .subscriptions import services as svc

OPTIONAL_ENTRY = ("opt.enroll", "opt.continue", "self.enroll")


def _reason_pending(user, *codes: str) -> list[str]:
    if svc.pending_request(user, *codes):
        return [_("You have sent this request already; it is waiting for a decision.")]
    return []


def _person_or_reason(user):
    person = svc.individual_of(user)
    if person is None:
        return None, [_("This service is for insured individuals.")]
    return person, []


def _running_subscription_reason(person, today) -> list[str]:
    sub = svc.open_subscription(person, today=today)
    if sub is None:
        return []
    return [
        _("You already have a subscription running (%(kind)s).") % {"kind": sub.get_kind_display()}
    ]


def _age_reasons(person, today: dt.date, prefix: str) -> list[str]:
    age = age_on(person.birth_date, today)
    youngest = int(rule(f"{prefix}.age_min", on=today).value)
    key = f"{prefix}.age_max_women" if person.sex == "F" else f"{prefix}.age_max_men"
    oldest = int(rule(key, on=today).value)
    if age < youngest:
        return [_("You can join from the age of %(age)s.") % {"age": youngest}]
    if age >= oldest:
        return [_("You can join before completing the age of %(age)s.") % {"age": oldest}]
    return []


def _decimal(data: dict, key: str) -> Decimal | None:
    try:
        return Decimal(str(data[key]))
    except (KeyError, InvalidOperation, TypeError, ValueError):
        return None


def _today() -> dt.date:
    return timezone.localdate()


def _applicant(req):
    person = svc.individual_of(req.applicant)
    if person is None:
        raise ServiceError(_("The applicant has no insurance record."))
    return person


# --- who may use each service: the figures come from the rule rows in force today -------------


def _value(key: str) -> str:
    return plain(rule(key, on=_today()).value)


def _percent(key: str) -> str:
    return svc.percent(rule(key, on=_today()).value)


def _ages(prefix: str) -> dict:
    return {
        "min": _value(f"{prefix}.age_min"),
        "men": _value(f"{prefix}.age_max_men"),
        "women": _value(f"{prefix}.age_max_women"),
    }


def _who_optional_enrol() -> str:
    return _(
        "A Jordanian joining for the first time, aged %(min)s and not yet %(men)s (men) or "
        "%(women)s (women), who is not covered through an establishment. You declare a monthly "
        "wage from %(low)s to %(high)s JD and pay %(rate)s of it every month."
    ) % {
        **_ages("optional"),
        "low": _value("optional.wage_min"),
        "high": _value("optional.wage_max"),
        "rate": _percent("optional.rate"),
    }


def _who_optional_continue() -> str:
    return _(
        "A former optional subscriber whose subscription stopped. The new declared wage may "
        "rise by up to %(raise)s for each whole year of the gap (at most %(n)s increases) or be "
        "cut once by up to %(cut)s."
    ) % {
        "raise": _percent("optional.return_raise_per_year"),
        "n": _value("optional.return_raises_max"),
        "cut": _percent("optional.return_cut_max"),
    }


def _who_annual_increase() -> str:
    start, end = svc.increase_window(_today())
    return _(
        "An optional subscriber, from %(start)s to %(end)s of each year. The new percentage (at "
        "most %(most)s) applies from the next January."
    ) % {
        "start": start.strftime("%d/%m"),
        "end": end.strftime("%d/%m"),
        "most": _percent("optional.increase_max"),
    }


PROVISIONAL_SELF = gettext_lazy(
    "The brackets and the ages are provisional until the Corporation confirms them."
)


def _who_self_enrol() -> str:
    text = _(
        "A person who works on their own account (a profession, a craft, a vehicle), aged "
        "%(min)s and not yet %(men)s (men) or %(women)s (women), with no other subscription "
        "running. The declared wage is the bracket you choose; you pay %(rate)s of it, and "
        "%(injury)s more if the activity is covered for work injury."
    ) % {**_ages("self"), "rate": _percent("self.rate"), "injury": _percent("self.injury_rate")}
    return f"{text} {PROVISIONAL_SELF}"


def _who_self_change() -> str:
    text = _(
        "A self-employed subscriber, once a year: an increase of the declared wage of up to "
        "%(most)s, or a move to another bracket. It applies from the month after the decision."
    ) % {"most": _percent("self.increase_max")}
    return f"{text} {PROVISIONAL_SELF}"


# --- opt.enroll ---------------------------------------------------------------------------------


def optional_enrol_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _person_or_reason(user)
    if person is None:
        return reasons
    if not person.is_jordanian:
        return [_("The optional subscription is for Jordanians.")]
    reasons = _age_reasons(person, today, "optional")
    if svc.covered_by_establishment(person, today=today):
        reasons.append(
            _(
                "You are covered through an establishment: the optional subscription is for "
                "those who are not."
            )
        )
    reasons += _running_subscription_reason(person, today)
    if not reasons and svc.last_optional_coverage(person) is not None:
        reasons.append(
            _(
                "You were an optional subscriber before: ask to continue your optional coverage "
                "instead."
            )
        )
    return reasons + _reason_pending(user, *OPTIONAL_ENTRY)


def optional_enrol_compute(user, data: dict):
    wage, increase = _decimal(data, "declared_wage"), _decimal(data, "annual_increase")
    if wage is None or increase is None:
        return None
    return svc.optional_enrol_figure(wage=wage, increase=svc.fraction_of(increase), on=_today())


def _subscribe_optional(req, reason: str) -> None:
    """The subscription from the month of the decision, its account, its first declared wage and
    the optional coverage period on the record."""
    svc.subscribe(
        individual=_applicant(req),
        kind=svc.OPTIONAL,
        wage=Decimal(req.data["declared_wage"]),
        start_month=month_start(_today()),
        request=req,
        annual_increase=svc.fraction_of(req.data.get("annual_increase")),
        reason=reason,
    )


def optional_enrol_approve(req) -> None:
    _subscribe_optional(req, _("Enrolment %(ref)s") % {"ref": req.reference})


OPT_ENROLL = register(
    RequestService(
        code="opt.enroll",
        form_class=f.OptionalEnrolForm,
        who=lazy(_who_optional_enrol, str)(),
        decision_days=7,
        reference_prefix="OPTE",
        documents=(
            DocumentSpec(
                "id_card", gettext_lazy("Copy of the civil ID card (both sides)"), required=False
            ),
        ),
        eligibility=optional_enrol_eligibility,
        compute=optional_enrol_compute,
        on_approve=optional_enrol_approve,
    )
)


# --- opt.continue -------------------------------------------------------------------------------


def optional_continue_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _person_or_reason(user)
    if person is None:
        return reasons
    if not person.is_jordanian:
        return [_("The optional subscription is for Jordanians.")]
    if svc.last_optional_coverage(person) is None:
        return [
            _(
                "Only a former optional subscriber can continue: ask for an optional "
                "subscription enrolment instead."
            )
        ]
    reasons = []
    if svc.covered_by_establishment(person, today=today):
        reasons.append(
            _(
                "You are covered through an establishment: the optional subscription is for "
                "those who are not."
            )
        )
    reasons += _running_subscription_reason(person, today)
    return reasons + _reason_pending(user, *OPTIONAL_ENTRY)


def optional_continue_compute(user, data: dict):
    wage, increase = _decimal(data, "declared_wage"), _decimal(data, "annual_increase")
    person = svc.individual_of(user)
    last = svc.last_optional_coverage(person) if person is not None else None
    if wage is None or increase is None or last is None:
        return None
    return svc.optional_return_figure(
        last=last, wage=wage, increase=svc.fraction_of(increase), on=_today()
    )


def optional_continue_approve(req) -> None:
    _subscribe_optional(req, _("Return %(ref)s") % {"ref": req.reference})


OPT_CONTINUE = register(
    RequestService(
        code="opt.continue",
        form_class=f.OptionalContinueForm,
        who=lazy(_who_optional_continue, str)(),
        decision_days=7,
        reference_prefix="OPTC",
        eligibility=optional_continue_eligibility,
        compute=optional_continue_compute,
        on_approve=optional_continue_approve,
    )
)


# --- opt.stop and self.stop -----------------------------------------------------------------------


def _stop_eligibility(kind: str, code: str):
    def eligibility(user, today: dt.date) -> list[str]:
        person, reasons = _person_or_reason(user)
        if person is None:
            return reasons
        sub = svc.open_subscription(person, today=today, kind=kind)
        if sub is None:
            return [_("You have no subscription of this kind running.")]
        if sub.end_month is not None:
            return [
                _("Your subscription already stops after %(month)s.")
                % {"month": sub.end_month.strftime("%Y-%m")}
            ]
        return _reason_pending(user, code)

    return eligibility


def _stop_approve(kind: str):
    def on_approve(req) -> None:
        """The subscription's last month is the one asked for; billing stops after it."""
        person = _applicant(req)
        sub = svc.open_subscription(person, today=_today(), kind=kind)
        if sub is None:
            raise ServiceError(_("You have no subscription of this kind running."))
        svc.unsubscribe(subscription=sub, end_month=dt.date.fromisoformat(req.data["last_month"]))

    return on_approve


OPT_STOP = register(
    RequestService(
        code="opt.stop",
        form_class=f.StopForm,
        who=gettext_lazy("An optional subscriber who wants to stop paying from a month on."),
        decision_days=5,
        reference_prefix="OPTS",
        eligibility=_stop_eligibility(svc.OPTIONAL, "opt.stop"),
        on_approve=_stop_approve(svc.OPTIONAL),
    )
)

SELF_STOP = register(
    RequestService(
        code="self.stop",
        form_class=f.StopForm,
        who=gettext_lazy("A self-employed subscriber who has stopped working on their own."),
        decision_days=5,
        reference_prefix="SELFS",
        documents=(
            DocumentSpec(
                "proof",
                gettext_lazy("Proof that the activity stopped (cancelled licence or registration)"),
                required=False,
            ),
        ),
        eligibility=_stop_eligibility(svc.SELF_EMPLOYED, "self.stop"),
        on_approve=_stop_approve(svc.SELF_EMPLOYED),
    )
)


# --- opt.annual-increase ------------------------------------------------------------------------


def annual_increase_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _person_or_reason(user)
    if person is None:
        return reasons
    sub = svc.open_subscription(person, today=today, kind=svc.OPTIONAL)
    if sub is None or sub.end_month is not None:
        return [_("This service is for optional subscribers whose subscription is running.")]
    start, end = svc.increase_window(today)
    if not start <= today <= end:
        return [
            _("The annual increase percentage is changed from %(start)s to %(end)s of each year.")
            % {"start": start.strftime("%d/%m"), "end": end.strftime("%d/%m")}
        ]
    return _reason_pending(user, "opt.annual-increase")


def annual_increase_compute(user, data: dict):
    increase = _decimal(data, "annual_increase")
    person = svc.individual_of(user)
    sub = svc.open_subscription(person, today=_today(), kind=svc.OPTIONAL) if person else None
    if increase is None or sub is None:
        return None
    return svc.increase_figure(subscription=sub, increase=svc.fraction_of(increase), on=_today())


def annual_increase_approve(req) -> None:
    """The new percentage, and a declared-wage row from the next January."""
    person = _applicant(req)
    sub = svc.open_subscription(person, today=_today(), kind=svc.OPTIONAL)
    if sub is None:
        raise ServiceError(
            _("This service is for optional subscribers whose subscription is running.")
        )
    svc.change_annual_increase(
        subscription=sub,
        increase=svc.fraction_of(req.data["annual_increase"]),
        on=_today(),
        reason=_("Annual increase %(ref)s") % {"ref": req.reference},
    )


OPT_INCREASE = register(
    RequestService(
        code="opt.annual-increase",
        form_class=f.AnnualIncreaseForm,
        who=lazy(_who_annual_increase, str)(),
        decision_days=5,
        reference_prefix="OPTI",
        eligibility=annual_increase_eligibility,
        compute=annual_increase_compute,
        on_approve=annual_increase_approve,
    )
)


# --- self.enroll ----------------------------------------------------------------------------------


def self_enrol_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _person_or_reason(user)
    if person is None:
        return reasons
    reasons = _age_reasons(person, today, "self")
    reasons += _running_subscription_reason(person, today)
    return reasons + _reason_pending(user, *OPTIONAL_ENTRY)


def self_enrol_compute(user, data: dict):
    if not data.get("bracket"):
        return None
    return svc.self_enrol_figure(
        bracket=str(data["bracket"]), injury=bool(data.get("injury_covered")), on=_today()
    )


def self_enrol_approve(req) -> None:
    person = _applicant(req)
    today = _today()
    figure = svc.self_enrol_figure(
        bracket=str(req.data["bracket"]), injury=bool(req.data.get("injury_covered")), on=today
    )
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    svc.subscribe(
        individual=person,
        kind=svc.SELF_EMPLOYED,
        wage=figure.wage,
        start_month=month_start(today),
        request=req,
        bracket=str(req.data["bracket"]),
        activity=req.data.get("activity", ""),
        injury_covered=bool(req.data.get("injury_covered")),
        reason=_("Enrolment %(ref)s") % {"ref": req.reference},
    )


SELF_ENROLL = register(
    RequestService(
        code="self.enroll",
        form_class=f.SelfEnrolForm,
        who=lazy(_who_self_enrol, str)(),
        decision_days=7,
        reference_prefix="SELFE",
        documents=(
            DocumentSpec(
                "licence",
                gettext_lazy("Professional licence, commercial registration or vehicle licence"),
            ),
        ),
        eligibility=self_enrol_eligibility,
        compute=self_enrol_compute,
        on_approve=self_enrol_approve,
    )
)


# --- self.bracket-change ------------------------------------------------------------------------


def _changed_this_year(user, today: dt.date) -> bool:
    from eservices.models import ServiceRequest

    return ServiceRequest.objects.filter(
        applicant=user,
        service_code="self.bracket-change",
        status=ServiceRequest.Status.APPROVED,
        decided_at__year=today.year,
    ).exists()


def self_change_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _person_or_reason(user)
    if person is None:
        return reasons
    sub = svc.open_subscription(person, today=today, kind=svc.SELF_EMPLOYED)
    if sub is None or sub.end_month is not None:
        return [_("This service is for self-employed subscribers whose coverage is running.")]
    if _changed_this_year(user, today):
        return [
            _("The declared wage was already changed this year: it can be changed once a year.")
        ]
    return _reason_pending(user, "self.bracket-change")


def self_change_compute(user, data: dict):
    person = svc.individual_of(user)
    sub = svc.open_subscription(person, today=_today(), kind=svc.SELF_EMPLOYED) if person else None
    change = data.get("change")
    if sub is None or change not in (svc.CHANGE_INCREASE, svc.CHANGE_BRACKET):
        return None
    increase = _decimal(data, "annual_increase")
    return svc.self_change_figure(
        subscription=sub,
        change=change,
        increase=svc.fraction_of(increase) if increase is not None else None,
        bracket=data.get("bracket") or None,
        on=_today(),
    )


def self_change_approve(req) -> None:
    """The new declared wage from the month after the decision (and the new bracket)."""
    person = _applicant(req)
    sub = svc.open_subscription(person, today=_today(), kind=svc.SELF_EMPLOYED)
    if sub is None:
        raise ServiceError(
            _("This service is for self-employed subscribers whose coverage is running.")
        )
    increase = _decimal(req.data, "annual_increase")
    svc.change_self_wage(
        subscription=sub,
        change=req.data["change"],
        increase=svc.fraction_of(increase) if increase is not None else None,
        bracket=req.data.get("bracket") or None,
        on=_today(),
        reason=_("Change %(ref)s") % {"ref": req.reference},
    )


SELF_CHANGE = register(
    RequestService(
        code="self.bracket-change",
        form_class=f.SelfChangeForm,
        who=lazy(_who_self_change, str)(),
        decision_days=5,
        reference_prefix="SELFB",
        eligibility=self_change_eligibility,
        compute=self_change_compute,
        on_approve=self_change_approve,
    )
)


# --- self.add-driver and est.add-driver ---------------------------------------------------------

DRIVER_DOCUMENTS = (
    DocumentSpec("vehicle_licence", gettext_lazy("Vehicle licence")),
    DocumentSpec("driving_licence", gettext_lazy("Driver's driving licence")),
)


def self_driver_eligibility(user, today: dt.date) -> list[str]:
    person, reasons = _person_or_reason(user)
    if person is None:
        return reasons
    sub = svc.open_subscription(person, today=today, kind=svc.SELF_EMPLOYED)
    if sub is None:
        return [_("This service is for self-employed vehicle owners whose coverage is running.")]
    return []


def _driver_answers(req) -> dict:
    return {
        "plate": req.data["plate_number"],
        "vehicle_type": req.data["vehicle_type"],
        "national_number": req.data["national_number"],
        "start_date": dt.date.fromisoformat(req.data["start_date"]),
        "request": req,
    }


def self_driver_approve(req) -> None:
    """The driver is recorded on the owner's vehicle (the vehicle with its first driver)."""
    svc.add_driver(individual=_applicant(req), **_driver_answers(req))


SELF_ADD_DRIVER = register(
    RequestService(
        code="self.add-driver",
        form_class=f.AddDriverForm,
        who=gettext_lazy(
            "A self-employed vehicle owner whose coverage is running, adding a driver who is in "
            "the civil registry."
        ),
        decision_days=3,
        reference_prefix="SDRV",
        documents=DRIVER_DOCUMENTS,
        eligibility=self_driver_eligibility,
        on_approve=self_driver_approve,
    )
)


def est_driver_eligibility(user, today: dt.date) -> list[str]:
    from establishments.requests import officer_eligibility

    return officer_eligibility(user, today)


def est_driver_approve(req) -> None:
    from establishments.selectors import establishment_of

    establishment = establishment_of(req.applicant)
    if establishment is None:
        raise ServiceError(_("This service is for the liaison officers of establishments."))
    svc.add_driver(establishment=establishment, **_driver_answers(req))


EST_ADD_DRIVER = register(
    RequestService(
        code="est.add-driver",
        form_class=f.EstablishmentAddDriverForm,
        who=gettext_lazy(
            "The liaison officer of an active establishment, adding a driver who is in the civil "
            "registry to one of the establishment's vehicles."
        ),
        decision_days=3,
        reference_prefix="EDRV",
        audience="establishment",
        documents=DRIVER_DOCUMENTS,
        eligibility=est_driver_eligibility,
        on_approve=est_driver_approve,
    )
)


# --- pages ---------------------------------------------------------------------------------------

register_page("opt.basic-data", "payments:optional_basic_data")
register_page("opt.payments", "payments:optional_payments")
register_page("self.account", "payments:self_account")
register_page("self.driver-card", "payments:driver_cards")
