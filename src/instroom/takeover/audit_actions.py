from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "takeover",
    {
        "takeover.import": _("Running cases taken over from the earlier scheme"),
        "takeover.case": _("Taken over from the earlier scheme"),
        # The case's steps to the state it had in the earlier scheme: the event above tells it.
        "takeover.step": _("Case brought to its state in the earlier scheme"),
    },
    off_timeline=["takeover.step"],
)
