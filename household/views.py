"""The household portal's pages: its catalogue section, the account (create, sign in, change the
temporary password, the five-stage profile), the review status, the payment schedule and the
entitlement calculator. Views are thin: forms check, services act."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from accounts.views import mask
from eservices.dates import month_after, month_start
from eservices.models import ServiceRequest
from eservices.selectors import catalogue_for

from . import profile as profile_services
from .application import CODE, active_pension, review_days, review_deadline
from .entitlement import INCOME_KINDS, household_entitlement, members_of
from .forms import (
    AddressForm,
    BankForm,
    EducationForm,
    EntitlementForm,
    IncomeForm,
    JobForm,
    PasswordChangeForm,
    RegisterForm,
    ResendForm,
    SignInForm,
    TermsForm,
    income_initial,
    incomes_from,
)
from .models import Profile
from .payouts import next_payment_month, pension_figure
from .signup import (
    after_password_change,
    household_register,
    household_view,
    is_household,
    password_change,
    resend_temporary_password,
)
from .validators import mask_iban


def _posted(request: HttpRequest):
    """The POST data of a POST (even an empty one: a box left unticked is an answer)."""
    return request.POST if request.method == "POST" else None


SUM_KEY = "household_sum"
REGISTERED_KEY = "household_registered"


def _links(services) -> list[dict]:
    """The catalogue entries of the section, each with where it leads (the application goes to
    the household wizard rather than the engine's one-page form)."""
    rows = []
    for s in services:
        url = reverse("household:apply") if s.code == CODE else s.url
        rows.append({"service": s, "url": url if s.implemented else None})
    return rows


def home(request: HttpRequest) -> HttpResponse:
    groups = catalogue_for("household")
    profile = pension = None
    if is_household(request.user) and hasattr(request.user, "household_profile"):
        profile = request.user.household_profile
        pension = active_pension(request.user)
    return render(
        request,
        "household/home.html",
        {
            "groups": [(g, _links(items)) for g, items in groups],
            "profile": profile,
            "pension": pension,
        },
    )


# --- hh.register -----------------------------------------------------------------------------


def _new_sum(request: HttpRequest) -> tuple[str, int]:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[SUM_KEY] = [a, b]
    return _("What is %(a)s + %(b)s?") % {"a": a, "b": b}, a + b


def _with_sum(request: HttpRequest, form_class, act):
    """A form guarded by a sum (hh.register, a new temporary password): ``act(cleaned_data)``
    when it is valid returns a response, or raises a ServiceError shown on the form. Returns
    the response, or the form to show again (with a new sum: a sum is answered once)."""
    if request.method != "POST":
        question, answer = _new_sum(request)
        return form_class(question=question, answer=answer)
    pair = request.session.get(SUM_KEY)
    answer = sum(pair) if pair else None
    question, _next = _new_sum(request)  # a sum is answered once, right or wrong
    form = form_class(request.POST, question=question, answer=answer)
    if form.is_valid():
        try:
            return act(form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    # The next try is checked against the new sum: the old answer must not count.
    form.answer = _next
    form.data = form.data.copy()
    form.data["arithmetic"] = ""
    return form


def register(request: HttpRequest) -> HttpResponse:
    def act(d) -> HttpResponse:
        user = household_register(
            id_number=d["id_number"], birth_date=d["birth_date"], mobile=d["mobile"]
        )
        request.session[REGISTERED_KEY] = user.pk
        return redirect("household:registered")

    result = _with_sum(request, RegisterForm, act)
    if isinstance(result, HttpResponse):
        return result
    return render(request, "household/register.html", {"form": result})


def resend(request: HttpRequest) -> HttpResponse:
    """A new temporary password for an account not yet signed in to (it expires)."""

    def act(d) -> HttpResponse:
        resend_temporary_password(
            id_number=d["id_number"], birth_date=d["birth_date"], mobile=d["mobile"]
        )
        messages.info(
            request,
            _(
                "If these details are those of an account that has not signed in yet, a new"
                " temporary password is on its way to the mobile. It can take a few minutes."
            ),
        )
        return redirect("household:sign_in")

    result = _with_sum(request, ResendForm, act)
    if isinstance(result, HttpResponse):
        return result
    hours = settings.HOUSEHOLD_TEMPORARY_PASSWORD_HOURS
    return render(request, "household/resend.html", {"form": result, "hours": hours})


def registered(request: HttpRequest) -> HttpResponse:
    from accounts.models import User

    pk = request.session.get(REGISTERED_KEY)
    user = User.objects.filter(pk=pk).first() if pk else None
    if user is None:
        return redirect("household:register")
    return render(
        request,
        "household/registered.html",
        {"sent_to": mask(str(user.phone)), "hours": settings.HOUSEHOLD_TEMPORARY_PASSWORD_HOURS},
    )


def sign_in(request: HttpRequest) -> HttpResponse:
    if is_household(request.user):
        return redirect("household:home")
    form = SignInForm(request, data=_posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.user_cache
        login(request, user)
        if user.household_profile.must_change_password:
            messages.info(request, _("Change the temporary password to a password of your own."))
            return redirect("household:password_change")
        nxt = request.POST.get("next") or request.GET.get("next")
        if nxt and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(nxt)
        return redirect("household:home")
    return render(request, "household/sign_in.html", {"form": form})


@household_view(allow_temporary=True)
def password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        user = password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        after_password_change(request, user)
        messages.success(request, _("Your password is changed. Now fill in your profile."))
        return redirect("household:profile")
    return render(request, "household/password.html", {"form": form})


# --- The profile -----------------------------------------------------------------------------

STAGES = [
    (Profile.Stage.ADDRESS, AddressForm),
    (Profile.Stage.JOB, JobForm),
    (Profile.Stage.BANK, BankForm),
    (Profile.Stage.INCOME, IncomeForm),
    (Profile.Stage.EDUCATION, EducationForm),
    (Profile.Stage.TERMS, TermsForm),
]


def _stage_steps(profile: Profile, current: int) -> list[dict]:
    return [
        {
            "key": int(stage),
            "label": stage.label,
            "current": stage == current,
            "url": reverse("household:profile_stage", args=[int(stage)])
            if stage <= profile.stage
            else "",
        }
        for stage, _f in STAGES
    ]


@household_view()
def profile_resume(request: HttpRequest) -> HttpResponse:
    profile = request.user.household_profile
    if profile.is_complete:
        return redirect("household:home")
    return redirect("household:profile_stage", stage=min(profile.stage, Profile.Stage.TERMS))


def _stage_form(stage: int, profile: Profile, user, data=None):
    if stage == Profile.Stage.ADDRESS:
        return AddressForm(data, instance=profile)
    if stage == Profile.Stage.JOB:
        return JobForm(data, instance=profile)
    if stage == Profile.Stage.EDUCATION:
        return EducationForm(data, instance=profile)
    if stage == Profile.Stage.BANK:
        initial = {"iban": profile.iban, "iban_confirm": profile.iban, "bank": profile.bank}
        return BankForm(data, user=user, initial=initial)
    if stage == Profile.Stage.INCOME:
        return IncomeForm(
            data, user=user, initial=income_initial(profile.incomes.all(), profile.has_income)
        )
    return TermsForm(data, user=user)


def _save_stage(stage: int, user, form) -> None:
    d = form.cleaned_data
    if stage == Profile.Stage.ADDRESS:
        from .updates import _email_free

        _email_free(user, d.get("email", ""))
        profile_services.save_address(user=user, cleaned=d)
    elif stage == Profile.Stage.JOB:
        profile_services.save_fields(
            user=user, stage=stage, cleaned=d, names=("employment", "employer", "job_title")
        )
    elif stage == Profile.Stage.BANK:
        profile_services.save_bank(user=user, iban=d["iban"], bank=d["bank"])
    elif stage == Profile.Stage.INCOME:
        profile_services.save_income(
            user=user, has_income=d["has_income"] == "yes", incomes=incomes_from(d)
        )
    elif stage == Profile.Stage.EDUCATION:
        profile_services.save_fields(
            user=user, stage=stage, cleaned=d, names=("education", "specialization")
        )
    else:
        profile_services.accept_terms(user=user)


@household_view()
def profile_stage(request: HttpRequest, stage: int) -> HttpResponse:
    profile = request.user.household_profile
    if stage not in {int(s) for s, _f in STAGES}:
        return redirect("household:profile")
    if stage > profile.stage:  # a later stage before the earlier ones: back to the first left
        return redirect("household:profile_stage", stage=min(profile.stage, Profile.Stage.TERMS))
    form = _stage_form(stage, profile, request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            _save_stage(stage, request.user, form)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if stage == Profile.Stage.TERMS:
                messages.success(request, _("Your profile has been entered successfully."))
                return redirect("household:home")
            return redirect("household:profile_stage", stage=stage + 1)
    return render(
        request,
        "household/profile_stage.html",
        {
            "form": form,
            "stage": Profile.Stage(stage),
            "steps": _stage_steps(profile, stage),
            "number": stage,
            "total": len(STAGES),
        },
    )


# --- hh.review (the applicant's side) and hh.payment -----------------------------------------


@household_view()
def review(request: HttpRequest) -> HttpResponse:
    apps = list(
        ServiceRequest.objects.filter(applicant=request.user, service_code=CODE)
        .exclude(status=ServiceRequest.Status.DRAFT)
        .order_by("-submitted_at")
    )
    today = timezone.localdate()
    rows = []
    for req in apps:
        deadline = review_deadline(req.submitted_at)
        rows.append(
            {
                "req": req,
                "deadline": deadline,
                "days_left": (deadline - today).days if req.is_open else None,
            }
        )
    return render(request, "household/review.html", {"rows": rows, "days": review_days()})


@household_view()
def payments(request: HttpRequest) -> HttpResponse:
    pension = active_pension(request.user)
    context = {"pension": pension}
    if pension is not None:
        nxt = next_payment_month(pension)
        figure = pension_figure(pension, nxt)
        context.update(
            {
                "paid": list(pension.payments.order_by("-month")),
                "next_month": nxt,
                "figure": figure,
                "working": figure.working.as_json(),
                "iban": mask_iban(pension.iban),
                "following": [month_after(nxt, k) for k in (1, 2)],
            }
        )
    return render(request, "household/payments.html", context)


# --- hh.entitlement --------------------------------------------------------------------------


def entitlement(request: HttpRequest) -> HttpResponse:
    """The calculator, open to all; a signed-in household account starts from its own data."""
    initial = {"month": month_after(month_start(timezone.localdate()), 1), "has_income": "no"}
    user = request.user
    if is_household(user) and hasattr(user, "household_profile"):
        profile = user.household_profile
        initial.update(income_initial(profile.incomes.all(), profile.has_income))
        pension = active_pension(user)
        if pension:
            initial.update(
                spouses=pension.spouses, children=pension.children, others=pension.others
            )
    form = EntitlementForm(request.GET or None, initial=initial)
    figure = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            figure = household_entitlement(
                members=members_of(
                    spouses=d["spouses"], children=d["children"], others=d["others"]
                ),
                incomes=incomes_from(d),
                month=d["month"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "household/entitlement.html",
        {
            "form": form,
            "figure": figure,
            "working": figure.working.as_json() if figure else None,
            "kinds": INCOME_KINDS,
        },
    )
