from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "instroom.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from instroom.audit.timeline import register_labels

        register_labels(
            {
                "application.create": _("Application started"),
                "application.update": _("Application changed"),
                "application.preferences": _("Preferred municipalities changed"),
                "application.exclusions": _("Excluded places changed"),
                "application.motivation": _("Motivation letter uploaded"),
                "application.consent": _("Consent recorded"),
                "application.submit": _("Submitted to the service point"),
                "application.return": _("Returned to the applicant"),
                "application.complete": _("Marked complete; to the assessment table"),
                "application.withdraw": _("Withdrawn"),
            }
        )
