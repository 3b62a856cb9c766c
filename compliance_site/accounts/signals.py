"""`password_changed`: sent once a user's new password hash is saved, whatever changed it (the password page,
the admin, `set_password()` in a service or a shell, a hash written directly). Every credential that stands
for the person without asking for the password (API tokens, the calendar link) is revoked on it, each by the
part that owns it, so a leaked secret dies with the password it was made under."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

password_changed = Signal()  # sender: the user model; user: the user whose password changed


# Receivers on the user model rather than a call in each view: every way of changing a password ends in a
# save of the user.
@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts-note-password-change")
def _note_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_hash_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts-password-changed")
def _send_password_changed(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_password_hash_changed", False):
        instance._password_hash_changed = False
        password_changed.send(sender=sender, user=instance)
