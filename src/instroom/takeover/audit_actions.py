from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "takeover",
    {
        "takeover.import": _("Running cases taken over from the earlier scheme"),
        "takeover.case": _("Taken over from the earlier scheme"),
    },
)
