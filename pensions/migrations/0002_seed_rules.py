"""The rule rows of pensions/rules_seed.py (early retirement, the dependants counted, payment
settings), created with eservices.rules_seed.seed_rules: rows that exist are left as they are."""

from django.db import migrations


def seed(apps, schema_editor):
    from eservices.rules_seed import seed_rules

    seed_rules(apps.get_model("eservices", "Rule"))


class Migration(migrations.Migration):
    dependencies = [
        ("pensions", "0001_initial"),
        ("eservices", "0007_document_letter"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
