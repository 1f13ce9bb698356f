"""The tasks the application stage creates (see accounts/tasks.py)."""

from django.utils.translation import gettext_lazy as _

from instroom.accounts.tasks import TaskKind, declare

from .constants import CaseState

APPLICATION = "applications.Application"

KINDS = declare(
    TaskKind(
        "application.check",
        _("New application to check: %(case)s"),
        _("Applications to check"),
        model=APPLICATION,
        open_states=frozenset({CaseState.SUBMITTED}),
    ),
    TaskKind(
        "application.recheck",
        _("Resubmitted application to check: %(case)s"),
        _("Applications to check"),
        model=APPLICATION,
        open_states=frozenset({CaseState.SUBMITTED}),
    ),
    TaskKind(
        "application.complete",
        _("Application returned for completion: %(case)s"),
        _("Applications to complete"),
        model=APPLICATION,
        open_states=frozenset({CaseState.RETURNED}),
    ),
)
