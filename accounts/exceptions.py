"""Domain errors raised by service functions; views turn them into form errors."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """An expected failure with a message fit to show the user."""

    default_message = _("The request could not be completed.")
    default_field: str | None = None

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field or self.default_field
        super().__init__(str(self.message))


class OtpInvalid(ServiceError):
    default_field = "code"
    default_message = _("The code is not correct. Check it and try again.")


class OtpExpired(ServiceError):
    default_field = "code"
    default_message = _("The code has expired. Ask for a new code.")


class OtpTooManyAttempts(ServiceError):
    default_field = "code"
    default_message = _("Too many wrong attempts. Ask for a new code.")


class OtpThrottled(ServiceError):
    def __init__(self, seconds: int, message=None):
        self.seconds = seconds
        super().__init__(message)


class IdentityNotVerified(ServiceError):
    default_message = _("The identity could not be verified against the civil registry.")


class DeliveryError(Exception):
    """A message could not be handed to its gateway."""


class TemporaryDeliveryError(DeliveryError):
    """The gateway may accept the message later: retry."""
