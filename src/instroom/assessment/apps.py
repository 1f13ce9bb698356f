from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "instroom.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from instroom.audit.timeline import register_labels

        register_labels(
            {
                "agenda.add": _("Put on the agenda of a table session"),
                "agenda.remove": _("Taken off the agenda"),
                "agenda.invite": _("Participant invited for the table"),
                "decision.approve": _("Approved by the table; in the pool"),
                "decision.reject": _("Rejected by the table"),
                "decision.defer": _("Deferred by the table"),
            }
        )
