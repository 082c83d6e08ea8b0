"""`styrkort jobs [--json]`: queued, running and failed jobs, the periodic schedules and
whether the background service runs."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import localtime

from styrkort.commands import StyrkortCommand


class Command(StyrkortCommand):
    help = "Visar bakgrundsjobb i kö, pågående och misslyckade, och de schemalagda uppgifterna."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Skriv JSON.")

    def handle(self, *args, as_json=False, **options):
        from styrkort.jobs import services

        data = {
            "worker_running": services.worker_running(),
            "jobs": services.listing(),
            "schedules": services.schedules(),
        }
        if as_json:
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        state = "igång" if data["worker_running"] else "INTE igång"
        self.stdout.write(f"Bakgrundstjänsten: {state}")
        self.stdout.write(f"\nJobb ({len(data['jobs'])}):")
        for job in data["jobs"]:
            self.stdout.write(
                f"  {job['kind']} {job['id']}  {job['status']:<8} {job['progress']:>3} %  "
                f"{job['owner__username']}  {localtime(job['created_at']):%Y-%m-%d %H:%M}  "
                f"{job['message']}"
            )
        self.stdout.write(f"\nSchemalagda uppgifter ({len(data['schedules'])}):")
        for row in data["schedules"]:
            last = f"{localtime(row['last_run']):%Y-%m-%d %H:%M}" if row["last_run"] else "aldrig"
            nxt = f"{localtime(row['next_run']):%Y-%m-%d %H:%M}" if row["next_run"] else "–"
            error = f"  senaste fel: {row['last_error']}" if row["last_error"] else ""
            every = (
                f"dagligen kl. {row['daily_at']}"
                if row.get("daily_at")
                else f"var {row['every_minutes']}:e minut"
            )
            self.stdout.write(f"  {row['name']} ({every}): senast {last}, nästa {nxt}{error}")
