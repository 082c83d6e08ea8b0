from django.urls import path

from . import admin_views, views

app_name = "identity"

urlpatterns = [
    path("inloggning/<slug:slug>/", views.start, name="start"),
    path("inloggning/<slug:slug>/svar/", views.oidc_callback, name="oidc_callback"),
    path("inloggning/<slug:slug>/saml/acs/", views.saml_acs, name="saml_acs"),
    path("inloggning/<slug:slug>/saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("administration/inloggning/", admin_views.providers, name="providers"),
    path("administration/inloggning/ny/", admin_views.provider_edit, name="provider_new"),
    path("administration/inloggning/<int:pk>/", admin_views.provider_edit, name="provider_edit"),
    path(
        "administration/inloggning/<int:pk>/regler/",
        admin_views.rule_edit,
        name="rule_new",
    ),
    path(
        "administration/inloggning/<int:pk>/regler/<int:rule_pk>/",
        admin_views.rule_edit,
        name="rule_edit",
    ),
    path(
        "administration/inloggning/<int:pk>/regler/<int:rule_pk>/ta-bort/",
        admin_views.rule_delete,
        name="rule_delete",
    ),
]
