from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The client's rights and retention. Sits on top, like reporting: it reads every stage."""

    name = "instroom.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from instroom.audit.timeline import register_labels

        register_labels(
            {
                "client.correct": _("Personal data corrected on request"),
                "client.erase": _("Personal data erased on request"),
                "client.anonymise": _("Personal data anonymised (retention period over)"),
            }
        )
