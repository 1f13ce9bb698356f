"""The tasks the support stage creates (see accounts/tasks.py)."""

from django.utils.translation import gettext_lazy as _

from instroom.accounts.tasks import TaskKind, declare

from .constants import ContractState, TimeOutState

CONTRACT = "support.Contract"

KINDS = declare(
    TaskKind(
        "contract.plan_signing",
        _("Contract drawn up for case %(case)s: plan the signing"),
        _("Signings to plan"),
        model=CONTRACT,
        open_states=frozenset({ContractState.PREPARED}),
    ),
    TaskKind(
        "contract.plan_handover",
        _("Contract signed for case %(case)s: plan the warm handover"),
        _("Handovers to plan"),
        model=CONTRACT,
        open_states=frozenset({ContractState.SIGNED}),
    ),
    TaskKind(
        "contract.plan_meetings",
        _("Case %(case)s moved in: the support meetings are ready to be planned"),
        _("Support meetings to plan"),
        model=CONTRACT,
        open_states=frozenset({ContractState.HOUSED}),
    ),
    TaskKind(
        "contract.soft_landing",
        _("Case %(case)s is handed over to you for the soft landing"),
        _("Soft landings"),
    ),
    TaskKind(
        "timeout.not_returned",
        _("Case %(case)s did not return after the time-out: put it on the case table"),
        _("Time-outs to follow up"),
    ),
    TaskKind(
        "timeout.overdue",
        _("The time-out of case %(case)s has passed its end date"),
        _("Time-outs to follow up"),
        model="support.TimeOut",
        open_states=frozenset({TimeOutState.ACTIVE}),
    ),
)
