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
from django.utils import timezone, translation

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
    language, and the e-mail is written in the recipient's language; `about` links it to the
    object of the work, whose next step closes it. `body` is then only text a person entered
    (a note), sent as it is."""
    params = dict(params or {})
    task_kind = tasks.get(kind) if kind else None
    if task_kind is not None and task_kind.notice:
        raise ValueError(f"{kind!r} is a notice: send it with send_notice()")
    if task_kind is not None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = task_kind.render(params)
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
    if task_kind is None:
        _mail_as_is(recipients.values(), subject, body, url)
    else:
        _mail(recipients.values(), task_kind, params, body, url)
    return len(recipients)


def send_notice(
    *,
    users: Iterable[User],
    kind: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    note: str = "",
) -> int:
    """Tell people something that asks nothing of them (e.g. a security change to their
    account): an e-mail in their language, no task in their list. `note` is text a person
    entered, sent as it is."""
    notice = tasks.get(kind)
    if not notice.notice:
        raise ValueError(f"{kind!r} asks something: create it as a task with notify()")
    recipients = list({u.pk: u for u in users if u.is_active}.values())
    _mail(recipients, notice, dict(params or {}), note, url)
    return len(recipients)


def _mail(
    recipients: Iterable[User],
    kind: tasks.TaskKind,
    params: Mapping[str, Any],
    note: str,
    url: str,
) -> None:
    """One e-mail per language, each rendered from the kind in its recipients' language."""
    by_language: dict[str, list[str]] = {}
    for u in recipients:
        if u.email:
            by_language.setdefault(u.mail_language, []).append(u.email)
    for language, addresses in by_language.items():
        with translation.override(language):
            subject = kind.render(params)
            text = kind.render_body(params)
        _send_on_commit(subject, "\n\n".join(p for p in (text, note) if p), url, addresses)


def _mail_as_is(recipients: Iterable[User], subject: str, body: str, url: str) -> None:
    addresses = [u.email for u in recipients if u.email]
    _send_on_commit(subject, body, url, addresses)


def _send_on_commit(subject: str, body: str, url: str, addresses: list[str]) -> None:
    if not addresses:
        return
    link = f"{settings.INSTROOM_BASE_URL}{url}" if url else ""
    message = "\n\n".join(part for part in (body, link) if part)
    transaction.on_commit(lambda: send_mail(subject, message, None, addresses, fail_silently=True))


def notification_done(*, user: User, pk: int) -> None:
    """Tick one's own task off by hand."""
    Notification.objects.filter(user=user, pk=pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def open_notifications(user: User, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user, done_at__isnull=True)[:limit])
