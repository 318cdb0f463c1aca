"""The rule rows of eservices/rules_seed_lump.py (wired into seed_rules), created with the same
get_or_create as 0004: rows that exist already are left as they are."""

from importlib import import_module

from django.db import migrations

seed = import_module("eservices.migrations.0004_seed_benefit_rules").seed


class Migration(migrations.Migration):
    dependencies = [("eservices", "0004_seed_benefit_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
