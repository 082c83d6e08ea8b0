"""The pages of the follow-up cycle under /uppfoljning/ (included by web/urls.py)."""

from django.urls import path

from .views import round_actions, rounds

org = "<slug:org>/"
rnd = org + "<str:period>/"

urlpatterns = [
    path("", rounds.round_index, name="round_index"),
    path(org, rounds.round_overview, name="round_overview"),
    path(org + "oppna/", round_actions.round_open, name="round_open"),
    path(rnd, rounds.round_page, name="round_page"),
    path(rnd + "atgard/<slug:action>/", round_actions.round_action, name="round_action"),
    path(rnd + "<slug:code>/", rounds.round_unit, name="round_unit"),
    path(rnd + "<slug:code>/<slug:action>/", round_actions.unit_action, name="unit_action"),
]
