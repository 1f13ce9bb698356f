"""Demo tasks at the moments their cases gave them.

The services make every task "now", while the demo moves the cases back in time afterwards; a
task list where every row says "since today" looks like a fault. Each task is given the moment
its object last changed (when an open task arose, or when a closed one was closed by the next
step), so the list reads like a few weeks of real work."""

import random
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from instroom.accounts.models import Notification

# What an object of the work says about when it last changed, most precise first.
MOMENT_FIELDS = ("state_changed_at", "reported_at", "proposed_at", "created_at", "prepared_at")


def _moment(obj: Any) -> datetime | None:
    for name in MOMENT_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, datetime):
            return value
    return None


def stagger_tasks(seed: int = 2026) -> int:
    """Give each demo task a realistic creation (and closing) time; returns how many moved."""
    rng = random.Random(seed)
    now = timezone.now()
    # One moment per event (object and kind), shared by the task of each person told of it.
    moments: dict[tuple[int, int, str], datetime] = {}
    tasks = list(Notification.objects.order_by("pk"))
    for task in tasks:
        key = (task.content_type_id or 0, task.object_id or 0, task.kind or str(task.pk))
        if key not in moments:
            obj = None
            if task.content_type_id:
                model = ContentType.objects.get_for_id(task.content_type_id).model_class()
                obj = model._default_manager.filter(pk=task.object_id).first()  # type: ignore[union-attr]
            found = _moment(obj)
            if found is None or now - found < timedelta(hours=1):
                # Stamped while the demo was built (not moved back): the last few days.
                found = now - timedelta(hours=rng.randint(1, 72))
            moments[key] = found
        moment = moments[key]
        if task.done_at is None:
            # Open: it arose when its object came into the state it still waits in.
            task.created_at = min(moment + timedelta(minutes=rng.randint(0, 30)), now)
        else:
            # Closed: the next step closed it; it had been waiting some hours or days.
            end = min(moment, now) - timedelta(minutes=rng.randint(0, 90))
            task.done_at = end
            task.created_at = end - timedelta(hours=rng.randint(2, 24 * 10))
    Notification.objects.bulk_update(tasks, ["created_at", "done_at"])
    return len(tasks)
