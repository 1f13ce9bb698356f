from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "applications",
    {
        "application.create": _("Application started"),
        "application.update": _("Application changed"),
        "application.preferences": _("Preferred municipalities changed"),
        "application.exclusions": _("Excluded places changed"),
        "application.motivation": _("Motivation letter uploaded"),
        "application.document": _("Document uploaded"),
        "application.consent": _("Consent recorded"),
        "application.submit": _("Submitted to the service point"),
        "application.return": _("Returned to the applicant"),
        "application.complete": _("Marked complete; ready for the decision"),
        "application.withdraw": _("Withdrawn"),
        "application.reinstate": _("Withdrawal undone: application reinstated"),
        # A step of the journey taken out of order, allowed by the service point with a reason
        # (applications.step_order); counted in monitoring.
        "step.override": _("Step out of order allowed"),
        # Reads of personal data (the access log), recorded through applications.selectors.
        "client.list": _("Client list viewed"),
        "client.view": _("Client viewed"),
        "application.view": _("Application viewed"),
        "motivation.download": _("Motivation letter downloaded"),
        "document.download": _("Application document downloaded"),
    },
)
