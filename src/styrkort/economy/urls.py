from django.urls import path

from . import views

urlpatterns = [
    path("<slug:code>/", views.economy, name="economy"),
]
