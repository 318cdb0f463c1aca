"""The rule rows of payments/rules_seed.py (optional subscription ages, increase window, returning
limits, self-employment brackets), created by eservices.rules_seed.seed_rules (only missing rows)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from eservices.rules_seed import seed_rules

    seed_rules(apps.get_model("eservices", "Rule"))


class Migration(migrations.Migration):
    dependencies = [
        ("eservices", "0007_document_letter"),
        ("payments", "0005_h6c_vehicles"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
