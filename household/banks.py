"""Saudi banks, and the account check the application and the data update make.

The bank's two digits are in the IBAN (characters 5 and 6). The check that the account exists, is
open and is in the person's name goes through a backend named by the setting
``HOUSEHOLD_BANK_VERIFICATION_BACKEND`` (a class with the method of :class:`LocalBankTable`). The
default is the local table :class:`household.models.BankAccountRecord` that the demo data fills; a
real deployment plugs in the banks' account-verification service behind the same method.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError

# SAMA bank codes, as they appear in the IBAN.
BANKS: dict[str, object] = {
    "10": gettext_lazy("Saudi National Bank"),
    "80": gettext_lazy("Al Rajhi Bank"),
    "20": gettext_lazy("Riyad Bank"),
    "45": gettext_lazy("Saudi Awwal Bank"),
    "55": gettext_lazy("Banque Saudi Fransi"),
    "05": gettext_lazy("Alinma Bank"),
    "15": gettext_lazy("Bank Albilad"),
    "30": gettext_lazy("Arab National Bank"),
    "60": gettext_lazy("Bank AlJazira"),
    "65": gettext_lazy("Saudi Investment Bank"),
}
BANK_CHOICES = [("", "---------"), *BANKS.items()]


def bank_of(iban: str) -> str:
    return iban[4:6]


class BankAccountNotVerified(ServiceError):
    default_field = "iban"


class LocalBankTable:
    """The default backend: the ``BankAccountRecord`` table."""

    def verify(self, *, iban: str, bank: str, holder_id_number: str) -> None:
        from .models import BankAccountRecord

        rec = BankAccountRecord.objects.filter(iban=iban).first()
        if rec is None or rec.bank != bank:
            raise BankAccountNotVerified(
                _("The bank has no account with this IBAN. Check the number with your bank.")
            )
        if not rec.is_active:
            raise BankAccountNotVerified(
                _("This bank account is closed or frozen. Give an account that is open.")
            )
        if rec.holder_id_number != holder_id_number:
            raise BankAccountNotVerified(
                _(
                    "This bank account is not in the name of the ID number given. The pension is "
                    "paid only into the beneficiary's own account."
                )
            )


def get_backend() -> LocalBankTable:
    path = getattr(
        settings, "HOUSEHOLD_BANK_VERIFICATION_BACKEND", "household.banks.LocalBankTable"
    )
    return import_string(path)()


def verify_account(*, iban: str, bank: str, holder_id_number: str) -> None:
    """The IBAN belongs to the bank chosen, and the bank confirms the account: open, in the
    holder's name. Raises ``ServiceError`` naming the field at fault."""
    if bank_of(iban) != bank:
        named = BANKS.get(bank_of(iban))
        raise ServiceError(
            _("This IBAN is of %(bank)s, not of the bank chosen.") % {"bank": named}
            if named
            else _("This IBAN is not of a bank on the list."),
            field="bank",
        )
    get_backend().verify(iban=iban, bank=bank, holder_id_number=holder_id_number)
