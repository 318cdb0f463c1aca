"""Imported from establishments/apps.py ready(): the programme requests declare themselves on the
e-service engine, the nursery inquiries declare their pages, and the admin registers the records."""

from eservices.declarations import register_page

from . import admin, defense, hafez, nursery, riaya, startup  # noqa: F401

register_page("nursery.covered", "establishments:nursery_covered")
register_page("nursery.operating-costs", "establishments:nursery_operating_costs")
