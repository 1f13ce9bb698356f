"""Background jobs of the match point (Django's tasks framework)."""

from django.tasks import task

from . import batch


@task
def batch_matching(run_id: int) -> None:
    batch.execute(run_id)
