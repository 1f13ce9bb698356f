from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The client's rights and retention. Sits on top, like reporting: it reads every stage."""

    name = "instroom.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
