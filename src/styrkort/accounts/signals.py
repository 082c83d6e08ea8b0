"""A person's API tokens end when their password changes or their account is
deactivated: the one place that says so, whatever changed the account (the Django admin,
the administration pages, `changepassword`, a sign-in service deprovisioning the user).

A save of the user row is compared with the stored row; a save that names its fields
(``update_fields``, as the login's ``last_login`` does) is compared only when it names
the password or ``is_active``. An update that skips ``save()`` (``QuerySet.update``) is
not seen here, but a deactivated owner's tokens are refused at every request anyway
(``styrkort.api.tokens.TokenAuthentication``).
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import User
from .tokens import revoke_all_tokens

WATCHED = frozenset({"password", "is_active"})


@receiver(pre_save, sender=User, dispatch_uid="styrkort_tokens_end_pre_save")
def _note_credential_change(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._styrkort_end_tokens = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values("password", "is_active")
    stored = stored.first()
    if stored is None:
        return
    instance._styrkort_end_tokens = stored["password"] != instance.password or (
        stored["is_active"] and not instance.is_active
    )


@receiver(post_save, sender=User, dispatch_uid="styrkort_tokens_end_post_save")
def _end_tokens(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not getattr(instance, "_styrkort_end_tokens", False):
        return
    instance._styrkort_end_tokens = False
    revoke_all_tokens(instance)
