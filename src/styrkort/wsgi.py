import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrkort.settings")
application = get_wsgi_application()

# Import every URL configuration now (the API's included), not on each worker's first
# request; with gunicorn --preload this happens once, before the workers fork.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# The chart libraries too; each worker warms the chart engine right after it forks, so
# the first chart after a start is no slower than later ones (styrkort.web.charts).
from styrkort.web.charts import prepare_for_workers  # noqa: E402

prepare_for_workers()
