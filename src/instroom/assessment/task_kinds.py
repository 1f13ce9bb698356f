"""The tasks (and notices) the assessment stage creates (see accounts/tasks.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from instroom.accounts.tasks import TaskKind, declare
from instroom.applications.constants import CaseState

from .constants import Outcome

APPLICATION = "applications.Application"


def _outcome(params: Mapping[str, Any]) -> Mapping[str, Any]:
    code = params.get("outcome", "")
    return {**params, "outcome": Outcome(code).label if code in Outcome.values else code}


KINDS = declare(
    TaskKind(
        # The invited participant assesses this case; it closes once the case is decided or
        # taken off the agenda (it leaves "on a table session").
        "session.invitation",
        _("Invitation: case %(case)s at %(session)s"),
        _("Table invitations"),
        model=APPLICATION,
        open_states=frozenset({CaseState.SCHEDULED}),
        body=_("You are invited to the table session for this case. Read it before the session."),
    ),
    TaskKind(
        # Members prepare the published agenda; closed when the session is closed (services).
        "session.agenda",
        _("Prepare the agenda of %(session)s (cases: %(n)s)"),
        _("Agendas to prepare"),
        body=_("The agenda of your table's session is published. Read the cases before it."),
    ),
    TaskKind(
        # The chair's part of the same agenda: the decisions, recorded before the session closes.
        "session.decisions",
        _("Chair %(session)s: record the decisions (cases: %(n)s)"),
        _("Decisions to record"),
        body=_("You chair this session. Record the table's decision on each case, then close it."),
    ),
    TaskKind(
        "decision.deferred",
        _("The table deferred case %(case)s: supply what is missing"),
        _("Deferred applications"),
        model=APPLICATION,
        open_states=frozenset({CaseState.DEFERRED}),
        body=_("The table needs more before it decides. The case page says what is missing."),
    ),
    TaskKind(
        # Approved or rejected: nothing is asked of the applicant worker or the service point.
        "decision.recorded",
        _("Decision on %(case)s: %(outcome)s"),
        _("Decisions"),
        display=_outcome,
        notice=True,
    ),
)
