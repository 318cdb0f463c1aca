"""Request services are declarations: a form, who may use it, the documents it needs, how long a
decision takes, its amount, and what approval does. The engine does the rest (draft, check your
answers, submission, review, notifications, receipts) for every one of them."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import Http404


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    label: Any
    required: bool = True


@dataclass(frozen=True)
class RequestService:
    code: str
    form_class: type[forms.Form]
    who: Any  # who may use it, shown before starting
    decision_days: int  # how long a decision takes, and the staff deadline
    reference_prefix: str
    documents: tuple[DocumentSpec, ...] = ()
    audience: str = "individual"
    # (user, today) -> reasons the user may not apply; empty when eligible.
    eligibility: Callable[[Any, dt.date], list[str]] = field(default=lambda user, today: [])
    # (user, cleaned answers) -> a figure with .payable, .amount, .reasons, .working, or None.
    compute: Callable[[Any, dict], Any] | None = None
    # What approval does (create payments, change the record...). Runs in the decision's transaction.
    on_approve: Callable[[Any], None] | None = None
    # The currency of its amounts, as shown to people ("JD" in Jordan, "SAR" for the household
    # pension of the second source).
    currency: str = "JD"
    # A service that asks its questions in its own step-by-step wizard names the wizard's start
    # page here: the engine's start and answers pages send the applicant there; the wizard saves
    # into the engine's draft, and submission, review and decision stay the engine's.
    start_url_name: str | None = None
    # A decision time that staff set in the rule table (a rule key): it then replaces
    # ``decision_days`` wherever the time is shown or the staff deadline is counted.
    decision_rule: str | None = None

    @property
    def days_to_decide(self) -> int:
        """How long a decision takes, in days: the rule in force today, or ``decision_days``."""
        if self.decision_rule:
            from django.utils import timezone

            from .rules import RuleMissing, rule

            try:
                return int(rule(self.decision_rule, on=timezone.localdate()).value)
            except RuleMissing:
                pass
        return self.decision_days

    def make_form(self, user=None, **kwargs) -> forms.Form:
        """The service's form; a form whose __init__ takes ``user`` gets the applicant, so that it
        can offer the person's own choices (their establishments, their earlier requests)."""
        if user is not None and "user" in inspect.signature(self.form_class.__init__).parameters:
            kwargs["user"] = user
        return self.form_class(**kwargs)

    @property
    def currency_label(self):
        from django.utils.translation import gettext

        return {"JD": gettext("JD"), "SAR": gettext("SAR")}.get(self.currency, self.currency)

    @property
    def catalogue(self):
        from .selectors import service

        return service(self.code)

    @property
    def name(self):
        return self.catalogue.name


REQUEST_SERVICES: dict[str, RequestService] = {}


def register(spec: RequestService) -> RequestService:
    REQUEST_SERVICES[spec.code] = spec
    return spec


# Services that are pages (inquiries, calculators, payments, documents) declare their page here from
# their app's ready(): code -> URL name. Declaring one marks its catalogue entry implemented.
PAGE_SERVICES: dict[str, str] = {}


def register_page(code: str, url_name: str) -> None:
    PAGE_SERVICES[code] = url_name


def get_request_service(code: str) -> RequestService:
    try:
        return REQUEST_SERVICES[code]
    except KeyError:
        raise Http404(code) from None
