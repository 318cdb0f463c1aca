from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.utils.translation import gettext_lazy as _

from .fields import OneTimeCodeField, PortalCaptchaField, normalise_digits
from .models import Channel, IdType, login_key

# The household pension's accounts (Saudi ID / iqama) sign in on their own page.
SIGN_IN_TYPES = [
    c for c in IdType.choices if c[0] not in (IdType.STAFF, IdType.SA_NATIONAL, IdType.SA_IQAMA)
]


class IdentifierForm(forms.Form):
    """The identifier type and number, as the sign-in box of the source asks for them."""

    id_type = forms.ChoiceField(
        label=_("Sign in with"),
        choices=SIGN_IN_TYPES,
        initial=IdType.NATIONAL,
        widget=forms.RadioSelect,
    )
    username = forms.CharField(
        label=_("Sign-in identifier"),
        max_length=32,
        help_text=_(
            "The national number for Jordanians, the personal number for non-Jordanians, "
            "the establishment insurance number, or the government entity code."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "username"}),
    )

    def clean_username(self):
        return normalise_digits(self.cleaned_data["username"])


class SignInForm(IdentifierForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The sign-in identifier or the password is not correct."),
        "inactive": _("This account has been disabled. Contact the Corporation."),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        self.not_activated_user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        key = login_key(data["id_type"], data["username"])
        user = authenticate(self.request, username=key, password=data["password"])
        if user is None:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(
                    _("Too many failed attempts. Sign-in is locked for a while."), code="locked"
                )
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        if not user.is_activated:
            self.not_activated_user = user
            raise forms.ValidationError(
                _("This account is not activated yet. Enter the activation code sent to you."),
                code="not_activated",
            )
        self.user_cache = user
        return data

    def get_user(self):
        return self.user_cache


class ActivationForm(forms.Form):
    code = OneTimeCodeField(label=_("Activation code"))


class PasswordResetStartForm(IdentifierForm):
    channel = forms.ChoiceField(
        label=_("Send the code by"),
        choices=Channel.choices,
        initial=Channel.SMS,
        widget=forms.RadioSelect,
    )
    captcha = PortalCaptchaField()


class NewPasswordForm(forms.Form):
    """A new password, typed twice (every form that sets a password)."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("Confirm the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def check_new_password(self, password: str) -> None:
        """More checks of the new password, once the two match (a subclass adds errors)."""

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif p1:
            self.check_new_password(p1)
        return data


class PasswordResetCompleteForm(NewPasswordForm):
    code = OneTimeCodeField(label=_("Reset code"))
    field_order = ["code", "new_password1", "new_password2"]
