import datetime as dt
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    from eservices.rules_seed import ROWS

    Rule = apps.get_model("eservices", "Rule")
    for key, value, start, source, default, ar, en in ROWS:
        Rule.objects.get_or_create(
            key=key,
            effective_from=dt.date.fromisoformat(start),
            defaults={"value": Decimal(value), "source": source, "is_default": default,
                      "description_ar": ar, "description_en": en},
        )


class Migration(migrations.Migration):
    dependencies = [("eservices", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
