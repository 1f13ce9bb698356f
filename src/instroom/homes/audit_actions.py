from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "homes",
    {
        "home.offer": _("Home offered"),
        "cluster.offer": _("Cluster offered with its places"),
        "home.update": _("Home changed"),
        "home.withdraw": _("Home withdrawn"),
        "home.reopen": _("Home back on offer"),
        "home.propose": _("Candidate proposed for the home"),
        "home.release": _("Home free again"),
        "home.let": _("Home let"),
    },
)
