"""Tell people what needs their attention: a task on their home page and an e-mail.

Messages carry a case number and a link, never personal data: e-mail leaves the platform."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, User


def notify(*, users: Iterable[User], subject: str, body: str = "", url: str = "") -> int:
    """Create a task for each user and send them an e-mail once the transaction commits."""
    recipients = {u.pk: u for u in users if u.is_active}
    Notification.objects.bulk_create(
        Notification(user=u, subject=subject[:200], body=body, url=url) for u in recipients.values()
    )
    addresses = [u.email for u in recipients.values() if u.email]
    if addresses:
        link = f"{settings.INSTROOM_BASE_URL}{url}" if url else ""
        message = "\n\n".join(part for part in (body, link) if part)
        transaction.on_commit(
            lambda: send_mail(subject, message, None, addresses, fail_silently=True)
        )
    return len(recipients)


def notification_done(*, user: User, pk: int) -> None:
    Notification.objects.filter(user=user, pk=pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def open_notifications(user: User, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user, done_at__isnull=True)[:limit])
