from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare("reporting", {"forecast.scenario": _("Forecast scenario calculated")})
