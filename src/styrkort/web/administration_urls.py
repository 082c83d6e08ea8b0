"""The organisation administrators' pages under /administration/ (included by
web/urls.py). The single sign-on configuration is the identity app's, at
/administration/inloggning/."""

from django.urls import path

from .views import administration, administration_logs, administration_settings
from .views import administration_units as units
from .views.comparisons import kolada_settings

org = "<slug:org>/"

urlpatterns = [
    path("", administration.administration_index, name="administration"),
    path(org, administration.administration_home, name="administration_home"),
    path(org + "anvandare/", administration.user_list, name="administration_users"),
    path(org + "anvandare/ny/", administration.user_create, name="administration_user_new"),
    path(org + "anvandare/<int:pk>/", administration.user_detail, name="administration_user"),
    path(org + "enheter/", units.unit_list, name="administration_units"),
    path(org + "enheter/<slug:code>/", units.unit_detail, name="administration_unit"),
    path(
        org + "installningar/",
        administration_settings.settings_page,
        name="administration_settings",
    ),
    path(org + "jamforelser/", kolada_settings, name="administration_kolada"),
    path(org + "historik/", administration_logs.history_page, name="administration_history"),
    path(org + "inloggningar/", administration_logs.signin_log, name="administration_signins"),
]
