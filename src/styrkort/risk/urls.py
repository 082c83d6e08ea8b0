from django.urls import path

from . import views

urlpatterns = [
    path("<slug:code>/", views.risk_matrix, name="risk_matrix"),
    path("<slug:code>/ny/", views.risk_edit, name="risk_create"),
    path("<slug:code>/<int:risk_id>/", views.risk_edit, name="risk_edit"),
    path("<slug:code>/<int:risk_id>/ta-bort/", views.risk_delete, name="risk_delete"),
    path(
        "<slug:code>/kontroller/<int:control_id>/<str:period>/",
        views.control_result,
        name="control_result",
    ),
]
