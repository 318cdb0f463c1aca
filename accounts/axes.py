"""django-axes reads the sign-in key as the form composes it (identifier type + number)."""

from .fields import normalise_digits
from .models import login_key


def get_username(request, credentials):
    if credentials and credentials.get("username"):
        return credentials["username"]
    data = getattr(request, "POST", {}) or {}
    id_type, number = data.get("id_type"), data.get("username")
    if id_type and number:
        return login_key(id_type, normalise_digits(number))
    return number
