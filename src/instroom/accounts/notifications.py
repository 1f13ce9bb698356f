"""Tell people what needs their attention: a task on their home page and an e-mail.

Messages carry a case number and a link, never personal data: e-mail leaves the platform."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from . import tasks
from .models import Notification, User


def notify(
    *,
    users: Iterable[User],
    subject: str = "",
    body: str = "",
    url: str = "",
    kind: str = "",
    params: Mapping[str, Any] | None = None,
    about: Model | None = None,
    due_on: date | None = None,
) -> int:
    """Create a task for each user and send them an e-mail once the transaction commits.

    With `kind` (declared in an app's task_kinds.py) the task stores the code and `params`
    (plain values: case numbers, dates as ISO text, codes) and is shown in the reader's
    language; `about` links it to the object of the work, whose next step closes it."""
    params = dict(params or {})
    if kind:
        subject = tasks.get(kind).render(params)
    recipients = {u.pk: u for u in users if u.is_active}
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    Notification.objects.bulk_create(
        Notification(
            user=u,
            subject=subject[:200],
            body=body,
            url=url,
            kind=kind,
            params=params,
            content_type=content_type,
            object_id=about.pk if about is not None else None,
            due_on=due_on,
        )
        for u in recipients.values()
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
    """Tick one's own task off by hand."""
    Notification.objects.filter(user=user, pk=pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def open_notifications(user: User, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user, done_at__isnull=True)[:limit])
