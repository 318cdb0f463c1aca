from django.db import migrations



def seed(apps, schema_editor):
    from eservices.rules_seed import seed_rules

    seed_rules(apps.get_model("eservices", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("eservices", "0005_lump_sum_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
