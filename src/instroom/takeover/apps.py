from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TakeoverConfig(AppConfig):
    name = "instroom.takeover"
    label = "takeover"
    verbose_name = _("Taking over running cases")
