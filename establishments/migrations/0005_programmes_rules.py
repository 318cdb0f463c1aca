from django.db import migrations


def seed(apps, schema_editor):
    from eservices.rules_seed import seed_rules

    seed_rules(apps.get_model("eservices", "Rule"))


class Migration(migrations.Migration):
    """The establishment programmes' rule rows (establishments/programmes/rules_seed.py, listed in
    eservices.rules_seed.SEED_MODULES); existing rows are left as they are."""

    dependencies = [
        ("establishments", "0004_programmes_models"),
        ("eservices", "0007_document_letter"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
