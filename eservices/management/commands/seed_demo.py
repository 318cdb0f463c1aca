from django.core.management.base import BaseCommand

from eservices.demo import seed


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo sign-in details."

    def handle(self, *args, **options):
        rows = seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        for who, identifier, password in rows:
            self.stdout.write(f"  {who:40} {identifier:45} password: {password}")
