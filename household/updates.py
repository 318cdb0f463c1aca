"""hh.update (تحديث البيانات): personal data, address and mobile, bank account, income, the terms,
then a 4-digit code sent by SMS to the mobile number confirms it all.

The changes wait in a ``ProfileUpdate`` draft (so the steps resume) and are applied together only
when the code is right: a wrong code, or one tried too often, changes nothing. A change of income
counts from the next payment of the pension.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from accounts.models import Channel, OneTimeCode
from accounts.services import otp_issue, otp_verify
from eservices.notifications import notify
from eservices.services import to_json

from .banks import verify_account
from .entitlement import sar
from .forms import income_initial, incomes_from, local_mobile
from .models import ADDRESS_FIELDS, IncomeSource, Pension, Profile, ProfileUpdate

CODE_DIGITS = 4  # the source: «رمز التحقق المكون من أربعة أرقام»
STEP_KEYS = ("personal", "contact", "bank", "income", "terms")


def current_answers(profile: Profile) -> dict[str, dict[str, Any]]:
    """What the profile holds now, as the update's steps ask for it."""
    user = profile.user
    return {
        "contact": {
            "mobile": local_mobile(user.phone),
            "email": user.email,
            **{name: getattr(profile, name) for name in ADDRESS_FIELDS},
        },
        "bank": {"iban": profile.iban, "iban_confirm": profile.iban, "bank": profile.bank},
        "income": {
            k: to_json(v)
            for k, v in income_initial(profile.incomes.all(), profile.has_income).items()
        },
    }


def update_start(*, user) -> ProfileUpdate:
    """The open update of this person, or a new one starting from their current data."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        update = ProfileUpdate.objects.filter(user=user, status=ProfileUpdate.Status.DRAFT).first()
        if update is None:
            update = ProfileUpdate.objects.create(
                user=user, data={**current_answers(user.household_profile), "_done": []}
            )
    return update


def done_steps(update: ProfileUpdate) -> list[str]:
    return list(update.data.get("_done", []))


def _email_free(user, email: str) -> None:
    if email and get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ServiceError(_("This email is used by another account."), field="email")


def update_save_step(*, update: ProfileUpdate, step: str, cleaned: dict[str, Any]) -> ProfileUpdate:
    if step not in STEP_KEYS:
        raise ValueError(step)
    if step == "contact":
        _email_free(update.user, cleaned.get("email", ""))
    with transaction.atomic():
        update = ProfileUpdate.objects.select_for_update().get(pk=update.pk)
        if update.status != ProfileUpdate.Status.DRAFT:
            raise ServiceError(_("This update is already confirmed."))
        data = dict(update.data)
        if step in ("contact", "bank", "income"):
            data[step] = {k: to_json(v) for k, v in cleaned.items()}
        done = done_steps(update)
        if step not in done:
            done.append(step)
        data["_done"] = done
        update.data = data
        update.save(update_fields=["data"])
    return update


def new_mobile(update: ProfileUpdate) -> str:
    """The mobile number of the update, as +9665XXXXXXXX."""
    mobile = str(update.data.get("contact", {}).get("mobile", ""))
    return "+966" + mobile[1:] if mobile.startswith("05") else mobile


def update_send_code(*, update: ProfileUpdate) -> OneTimeCode:
    """The 4-digit code, by SMS to the mobile number given in the update."""
    missing = [s for s in STEP_KEYS if s not in done_steps(update)]
    if missing:
        raise ServiceError(_("Finish the earlier steps first."))
    to = new_mobile(update)
    otp = otp_issue(
        user=update.user,
        purpose=OneTimeCode.Purpose.MOBILE,
        channel=Channel.SMS,
        length=CODE_DIGITS,
        to=to,
    )
    ProfileUpdate.objects.filter(pk=update.pk).update(code_sent_to=to)
    return otp


def update_confirm(*, update: ProfileUpdate, code: str) -> ProfileUpdate:
    """Check the code (a wrong try is counted, and nothing else happens), then apply it all."""
    user = update.user
    bank = update.data.get("bank", {})
    profile = user.household_profile
    bank_changed = bool(bank.get("iban")) and (bank["iban"], bank["bank"]) != (
        profile.iban,
        profile.bank,
    )
    if bank_changed:  # asked of the bank again (it may have closed meanwhile), before the code
        verify_account(iban=bank["iban"], bank=bank["bank"], holder_id_number=user.id_number)
    otp_verify(user=user, purpose=OneTimeCode.Purpose.MOBILE, code=code)
    from .payouts import next_payment_month, pension_figure

    with transaction.atomic():
        update = ProfileUpdate.objects.select_for_update().get(pk=update.pk)
        if update.status != ProfileUpdate.Status.DRAFT:
            return update
        profile = Profile.objects.select_for_update().get(user=user)
        contact, income = update.data.get("contact", {}), update.data.get("income", {})
        now = timezone.now()
        # Address and contact
        user.phone = update.code_sent_to or new_mobile(update)
        user.email = contact.get("email", "")
        try:
            with transaction.atomic():
                user.save(update_fields=["phone", "email"])
        except IntegrityError as exc:
            raise ServiceError(_("This email is used by another account."), field="email") from exc
        for name in ADDRESS_FIELDS:
            setattr(profile, name, contact.get(name, ""))
        profile.mobile_confirmed_at = now
        # Bank account
        pension = Pension.objects.filter(beneficiary=user, status=Pension.Status.ACTIVE).first()
        if bank_changed:
            profile.iban, profile.bank, profile.bank_verified_at = bank["iban"], bank["bank"], now
            if pension and pension.breadwinner_id_number == user.id_number:
                pension.iban, pension.bank = bank["iban"], bank["bank"]
                pension.save(update_fields=["iban", "bank"])
        # Income
        before = {r.kind: r.monthly_amount for r in profile.incomes.all()}
        after = {i.kind: i.monthly_amount for i in incomes_from(income)}
        changed = before != after
        if changed:
            profile.incomes.all().delete()
            IncomeSource.objects.bulk_create(
                IncomeSource(profile=profile, kind=k, monthly_amount=v) for k, v in after.items()
            )
        profile.has_income = income.get("has_income") == "yes"
        profile.terms_accepted_at = now
        profile.save()
        update.status = ProfileUpdate.Status.CONFIRMED
        update.confirmed_at = now
        update.income_changed = changed
        if changed and pension:
            month = next_payment_month(pension)
            fig = pension_figure(pension, month)
            update.effective_month = month
            notify(
                user=user,
                title=_("Household pension from %(month)s") % {"month": f"{month:%Y-%m}"},
                body=_(
                    "Your income changed: from the payment of %(month)s your pension is "
                    "%(amount)s SAR."
                )
                % {"month": f"{month:%Y-%m}", "amount": sar(fig.amount) if fig.amount else "0.00"},
            )
        update.save()
    return update
