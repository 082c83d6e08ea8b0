"""`styrkort worker`: the background service that runs queued reports and imports and the
periodic tasks (django-q2's cluster), with a sign of life for the pages."""

from django.db import connections
from django.utils import timezone

from styrkort.commands import StyrkortCommand

BEAT_SECONDS = 10


class Command(StyrkortCommand):
    help = "Kör bakgrundsjobben (rapporter, importer) och de schemalagda uppgifterna."

    def handle(self, *args, **options):
        from django_q.cluster import Cluster

        from styrkort.jobs import services
        from styrkort.jobs.models import WorkerBeat

        services.sync_schedules()
        recovered = services.recover()
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
