"""The ledger in the admin: accounts with their balance, entries and bills read-only.

Entries are never edited or deleted (the database refuses it too). Staff correct an account by
adding a CORRECTION: the add form posts a new entry (idempotent on a token of the form, so a
double submission posts once), and the action "reverse" posts, for each selected entry, one entry
of the opposite amount that names it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.admin_base import ReadOnlyAdmin, ReadOnlyInline

from . import ledger
from .billing import next_due_date
from .models import Account, Bill, LedgerEntry


class EntryInline(ReadOnlyInline):
    model = LedgerEntry
    fk_name = "account"
    fields = ("posted_on", "kind", "period", "amount", "key", "memo", "created_by")
    readonly_fields = fields
    ordering = ("-posted_on", "-id")
    show_change_link = True


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "holder", "balance", "opened_on")
    list_filter = ("kind",)
    list_select_related = ("establishment", "individual")
    search_fields = (
        "number",
        "establishment__insurance_number",
        "establishment__name",
        "individual__national_number",
        "individual__personal_number",
        "individual__name_ar",
    )
    fields = ("number", "kind", "establishment", "individual", "opened_on", "balance")
    readonly_fields = fields
    inlines = (EntryInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _balance=Coalesce(
                    Sum("entries__amount"),
                    Value(Decimal("0")),
                    output_field=DecimalField(max_digits=16, decimal_places=3),
                )
            )
        )

    @admin.display(description=gettext_lazy("holder"))
    def holder(self, obj: Account) -> str:
        return str(obj.establishment or obj.individual or "—")

    @admin.display(description=gettext_lazy("balance (JD)"), ordering="_balance")
    def balance(self, obj: Account) -> str:
        return f"{obj._balance:,.3f}"


class CorrectionForm(forms.ModelForm):
    """A new CORRECTION entry: positive charges the account, negative credits it."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LedgerEntry
        fields = ("account", "amount", "period", "memo", "reverses")
        help_texts = {
            "amount": gettext_lazy(
                "Positive: a charge added to the account; negative: a credit. Never zero."
            ),
            "period": gettext_lazy("The first day of the contribution month it concerns, if any."),
            "memo": gettext_lazy("Why: it is shown to staff with the entry."),
            "reverses": gettext_lazy("The entry this one corrects, if any."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["memo"].required = True
        if not self.is_bound:
            self.initial["token"] = uuid.uuid4().hex

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("A correction cannot be zero."))
        return amount

    def clean(self):
        data = super().clean()
        reverses, account = data.get("reverses"), data.get("account")
        if reverses is not None and account is not None and reverses.account_id != account.pk:
            self.add_error("reverses", _("That entry is on another account."))
        if not data.get("token"):
            data["token"] = uuid.uuid4().hex
        return data


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ("posted_on", "account", "kind", "period", "amount", "key", "memo", "created_by")
    list_filter = ("kind", "posted_on")
    list_select_related = ("account", "created_by")
    search_fields = ("account__number", "key", "memo")
    date_hierarchy = "posted_on"
    raw_id_fields = ("account", "reverses")
    actions = ("reverse_entries",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CorrectionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("account", "amount", "period", "memo", "reverses", "token")
        return [f.name for f in LedgerEntry._meta.fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [f.name for f in LedgerEntry._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Never ``obj.save()``: the entry is posted through the ledger, once per form."""
        data = form.cleaned_data
        entry, _created = ledger.post(
            account=data["account"],
            kind=LedgerEntry.Kind.CORRECTION,
            key=f"admin:{data['token']}",
            amount=data["amount"],
            memo=data["memo"],
            period=data.get("period"),
            reverses=data.get("reverses"),
            user=request.user,
        )
        obj.__dict__.update({k: v for k, v in entry.__dict__.items() if k != "_state"})
        obj._state.adding = False
        ledger.refresh_contributions_bill(entry.account, due_date=next_due_date())

    @admin.action(description=gettext_lazy("Reverse the selected entries (post a correction)"))
    def reverse_entries(self, request, queryset):
        done = 0
        accounts = set()
        for entry in queryset.select_related("account"):
            _reversal, created = ledger.post(
                account=entry.account,
                kind=LedgerEntry.Kind.CORRECTION,
                key=f"reversal:{entry.pk}",
                amount=-entry.amount,
                memo=_("Reversal of %(key)s") % {"key": entry.key},
                period=entry.period,
                reverses=entry,
                user=request.user,
            )
            done += created
            accounts.add(entry.account)
        for account in accounts:
            ledger.refresh_contributions_bill(account, due_date=next_due_date())
        self.message_user(
            request, _("%(n)s reversing entries posted.") % {"n": done}, messages.SUCCESS
        )


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "kind",
        "account",
        "card",
        "amount",
        "issued_on",
        "due_date",
        "status",
    )
    list_filter = ("kind", "status", "issued_on")
    list_select_related = ("account", "card")
    search_fields = ("number", "account__number", "card__number")
    date_hierarchy = "issued_on"
