from django.db import migrations


def seed(apps, schema_editor):
    from eservices.rules_seed import seed_rules

    seed_rules(apps.get_model("eservices", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("eservices", "0003_notification_delivery")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
