from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "styrkort.backup"
    # No models: the app is never shown in the admin, so the name is not translated.
    verbose_name = "Säkerhetskopior"
