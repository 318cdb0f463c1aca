"""Admin of this part of the money side."""

from django.contrib import admin  # noqa: F401
