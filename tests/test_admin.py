"""The Django admin covers every model, in Swedish, and each list page opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from styrkort.accounts.models import User

PROJECT_APPS = {
    "accounts",
    "identity",
    "organisation",
    "planning",
    "followup",
    "risk",
    "economy",
    "web",
}


def project_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")
    ]


def inline_models():
    return {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }


def test_every_model_has_an_admin_page_or_inline():
    covered = set(admin.site._registry) | inline_models()
    missing = [m._meta.label for m in project_models() if m not in covered]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m for m in project_models() if m in admin.site._registry],
    ids=lambda m: m._meta.label,
)
def test_admin_list_page_opens_in_swedish(client, model):
    client.force_login(User.objects.create_superuser("root", password="x-pass-123"))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert "Välj" in response.content.decode()  # "Välj … att ändra"
