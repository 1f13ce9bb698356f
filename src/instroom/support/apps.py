from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "instroom.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from instroom.privacy.services import register_anonymiser

        from .services import anonymise_client

        register_anonymiser(anonymise_client)
