from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "instroom.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Every app declares the actions it records in its audit_actions.py (see audit.actions).
        autodiscover_modules("audit_actions")
