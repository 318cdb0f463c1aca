import importlib

from django.core.management.base import BaseCommand

from eservices.demo import seed

# Apps that add their own demo data: each has a demo.py whose seed() is idempotent and returns the
# sign-in rows (who, identifier, password) it adds.
APP_DEMOS = (
    "payments.demo_subscriptions",  # before the billing demo, so that subscribers are billed
    "payments.demo",
    "payments.demo_exemptions",
    "establishments.programmes.demo",
    "pensions.demo",
    "household.demo",
)


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo sign-in details."

    def handle(self, *args, **options):
        rows = seed()
        for name in APP_DEMOS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            rows += module.seed() or []
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        for who, identifier, password in rows:
            self.stdout.write(f"  {who:40} {identifier:45} password: {password}")
