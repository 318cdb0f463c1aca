from django.db import migrations


def seed(apps, schema_editor):
    from eservices.rules_seed import seed_rules

    seed_rules(apps.get_model("eservices", "Rule"))


class Migration(migrations.Migration):
    """The household rule rows (household/rules_seed.py); existing rows are left as they are."""

    dependencies = [("household", "0001_initial"), ("eservices", "0007_document_letter")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
