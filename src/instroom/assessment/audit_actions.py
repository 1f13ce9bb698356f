from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "assessment",
    {
        "table.member_add": _("Member added to the table"),
        "session.plan": _("Table session planned"),
        "session.publish": _("Agenda sent"),
        "session.close": _("Table session closed"),
        "agenda.add": _("Put on the agenda of a table session"),
        "agenda.remove": _("Taken off the agenda"),
        "agenda.invite": _("Participant invited for the table"),
        "decision.approve": _("Approved by the table; in the pool"),
        "decision.reject": _("Rejected by the table"),
        "decision.defer": _("Decision deferred"),
    },
)
