from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "privacy",
    {
        "client.correct": _("Personal data corrected on request"),
        "client.erase": _("Personal data erased on request"),
        "client.anonymise": _("Personal data anonymised (retention period over)"),
        "client.export": _("Personal data exported on request"),
    },
)
