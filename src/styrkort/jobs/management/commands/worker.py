"""`styrkort worker`: the background service that runs queued reports and imports and the
periodic tasks (django-q2's cluster), with a sign of life for the pages."""

import time

from django.core.management import CommandError
from django.db import OperationalError, connections
from django.utils import timezone

from styrkort.commands import StyrkortCommand

BEAT_SECONDS = 10


class Command(StyrkortCommand):
    help = "Kör bakgrundsjobben (rapporter, importer) och de schemalagda uppgifterna."

    def prepare(self, services) -> int:
        """Write the schedules and recover lost jobs; waits while another process holds
        the database (SQLite while the web server loads the demo). Returns how many jobs
        were recovered."""
        for attempt in range(600):
            try:
                services.sync_schedules()
                return services.recover()
            except OperationalError:
                if attempt == 0:
                    self.stdout.write(_busy_message())
                connections.close_all()
                time.sleep(2)
        raise CommandError("Databasen var upptagen i 20 minuter; bakgrundstjänsten startar inte.")

    def handle(self, *args, **options):
        from django_q.cluster import Cluster

        from styrkort.jobs import services
        from styrkort.jobs.models import WorkerBeat

        recovered = self.prepare(services)
        if recovered:
            self.stdout.write(f"{recovered} avbrutna jobb markerade som misslyckade.")
        name, started = services.worker_name(), timezone.now()
        # The cluster forks its processes: none may share this process's connection.
        connections.close_all()
        cluster = Cluster()  # stops on SIGTERM and SIGINT (Ctrl-C)
        cluster.start()
        self.stdout.write("Bakgrundstjänsten är igång (avsluta med Ctrl-C).")
        self.stdout.flush()
        try:
            while cluster.sentinel.is_alive():
                try:
                    services.beat(name, started)
                except Exception:  # the database busy or briefly away: the next beat
                    connections.close_all()
                cluster.sentinel.join(BEAT_SECONDS)
        finally:
            WorkerBeat.objects.filter(name=name).delete()
            services.beat_file().unlink(missing_ok=True)


def _busy_message() -> str:
    return "Databasen är upptagen (läser webbservern in demodata?); försöker igen ..."
