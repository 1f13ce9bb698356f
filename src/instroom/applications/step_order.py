"""Steps of the journey in their order, and the service point's explicit override.

A service that finds its step out of order (a decision before the session, a move before the
warm handover, a meeting before its period, a conversion before the end of the support) passes
its refusals here. Without an override they are raised as they are. With one, only the service
point may let the step through (policy: `may_override_step_order`), with a reason of at least
`OVERRIDE_REASON_MIN` characters; the override is its own audit action ("step.override") on
the client's timeline, with the reason, and monitoring counts it per step.

Later stages call this (the journey's imports run one way), so it lives in the first stage.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.policy import rules

OVERRIDE_REASON_MIN = 20

# The steps that can be taken out of order, as monitoring counts and names them.
STEPS: dict[str, Any] = {
    "decision": gettext_lazy("Decision before the session"),
    "move_in": gettext_lazy("Move without the warm handover"),
    "meeting": gettext_lazy("Meeting recorded before its period"),
    "final": gettext_lazy("Final outcome before the end of the support"),
}


def check_step_order(
    *,
    actor: User,
    step: str,
    refusals: dict[str, Any],
    override_reason: str,
    obj: models.Model,
    client: Any,
) -> None:
    """Raise the refusals (field → message), or let the step through for the service point
    with its reason and record that. No refusals: nothing to override, nothing recorded."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    if not refusals:
        return
    reason = override_reason.strip()
    if not reason:
        raise ValidationError(refusals)
    if not rules.may_override_step_order(actor, client.region_id):
        raise ValidationError(
            {
                **refusals,
                "override_reason": _("Only the service point may allow a step out of order."),
            }
        )
    if len(reason) < OVERRIDE_REASON_MIN:
        raise ValidationError(
            {
                "override_reason": _(
                    "Explain in at least %(n)d characters why this step is taken out of order."
                )
                % {"n": OVERRIDE_REASON_MIN}
            }
        )
    audit.record_change(
        actor=actor,
        action="step.override",
        obj=obj,
        client=client,
        changes={"step": step, "refused": sorted(refusals)},
        note=reason,
    )
