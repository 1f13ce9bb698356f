from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "distribution",
    {
        "placement.record": _("Placement counted for the quota"),
        "placement.undo": _("Placement no longer counted for the quota"),
    },
)
