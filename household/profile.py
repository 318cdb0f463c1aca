"""The profile of a new household account: five stages (address and contact, job, bank account,
income, education), then the terms; saved stage by stage, so it resumes where it stopped."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from .banks import verify_account
from .entitlement import Income
from .models import ADDRESS_FIELDS, IncomeSource, Profile

S = Profile.Stage


def _advance(profile: Profile, done: int) -> None:
    profile.stage = max(profile.stage, done + 1)


def _locked(user) -> Profile:
    return Profile.objects.select_for_update().get(user=user)


def save_address(*, user, cleaned: dict[str, Any]) -> Profile:
    with transaction.atomic():
        profile = _locked(user)
        for name in ADDRESS_FIELDS:
            setattr(profile, name, cleaned[name])
        if cleaned.get("email", "") != user.email:
            user.email = cleaned.get("email", "")
            user.save(update_fields=["email"])
        _advance(profile, S.ADDRESS)
        profile.save()
    return profile


def save_fields(*, user, stage: int, cleaned: dict[str, Any], names: tuple[str, ...]) -> Profile:
    with transaction.atomic():
        profile = _locked(user)
        for name in names:
            setattr(profile, name, cleaned.get(name) or "")
        _advance(profile, stage)
        profile.save()
    return profile


def save_bank(*, user, iban: str, bank: str) -> Profile:
    """The account, checked again with the bank (the form did too) before it is kept."""
    verify_account(iban=iban, bank=bank, holder_id_number=user.id_number)
    with transaction.atomic():
        profile = _locked(user)
        profile.iban, profile.bank = iban, bank
        profile.bank_verified_at = timezone.now()
        _advance(profile, S.BANK)
        profile.save()
    return profile


def save_income(*, user, has_income: bool, incomes: list[Income]) -> Profile:
    with transaction.atomic():
        profile = _locked(user)
        profile.has_income = has_income
        profile.incomes.all().delete()
        IncomeSource.objects.bulk_create(
            IncomeSource(profile=profile, kind=i.kind, monthly_amount=i.monthly_amount)
            for i in incomes
        )
        _advance(profile, S.INCOME)
        profile.save()
    return profile


def accept_terms(*, user) -> Profile:
    """The last step: the terms accepted, the profile complete (all five stages filled)."""
    with transaction.atomic():
        profile = _locked(user)
        if profile.stage < S.TERMS:
            raise ValueError("the stages before the terms are not filled")
        now = timezone.now()
        profile.terms_accepted_at = now
        profile.completed_at = profile.completed_at or now
        profile.stage = S.DONE
        profile.save()
    return profile
