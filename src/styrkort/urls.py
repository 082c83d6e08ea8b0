from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from styrkort import metrics

admin.site.site_header = _("Styrkort – administration")
admin.site.site_title = _("Styrkort")
admin.site.index_title = _("Administration")

# The web's Swedish pages; JSON under /api/ (styrkort.errors).
handler400 = "styrkort.errors.bad_request"
handler403 = "styrkort.errors.permission_denied"
handler404 = "styrkort.errors.page_not_found"
handler500 = "styrkort.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("styrkort.api.urls")),
    # Prometheus' scrape address (styrkort.metrics: 404 unless a token or addresses are set).
    path("metrics", metrics.endpoint, name="metrics"),
    path("", include("styrkort.identity.urls")),
    path("", include("styrkort.web.urls")),
]
