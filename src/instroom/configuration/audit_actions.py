from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "configuration",
    {
        # A new version of the region's rules (before/after of every changed setting).
        "rules.change": _("Rules of the regeling changed"),
        # The regional administrator's pages for organisations, users, tables and figures.
        "config.add": _("Configuration added"),
        "config.change": _("Configuration changed"),
        "config.delete": _("Configuration removed"),
    },
)
