from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set. Sits on top, like reporting: it drives every stage's services."""

    name = "instroom.demo"
    label = "demo"
    verbose_name = _("Demo")
