"""Django's own password messages, repeated here so that makemessages puts them in our Arabic
catalogue: ours takes precedence over Django's, which says «كلمة المرور» where the Corporation's
forms say «كلمة السر». Never called; only read by makemessages."""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_MESSAGES = (
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        8,
    ),
)
