from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "matching",
    {
        "match.propose": _("A home was offered"),
        "match.provider_accept": _("Care provider agreed to the offer"),
        "match.provider_decline": _("Care provider declined the offer"),
        "match.client_accept": _("Client accepted the home"),
        "match.client_decline": _("Client declined the home"),
        "match.cancel": _("Offer cancelled"),
        "match.reopen": _("Offer reopened by the service point"),
        "cotenant_mark.add": _("Marked “not together” with another client"),
        "cotenant_mark.withdraw": _("“Not together” mark withdrawn"),
        # One action per outcome, so the timeline tells it in the reader's language.
        "viewing.positive": _("Viewing took place: positive"),
        "viewing.doubts": _("Viewing took place: doubts"),
        "viewing.no_show": _("Viewing: the client did not show"),
        "viewing.cancelled": _("Viewing cancelled"),
        "match.contact": _("Contact person of the offer changed"),
        "status_request.send": _("Status of the offer requested"),
        "status_request.answer": _("Status request answered"),
        "status_request.escalate": _("Status request unanswered: service point alerted"),
        "status_request.close": _("Status request closed: the offer moved on"),
        "refusal.review": _("Refusal judged by the service point"),
        "batch.start": _("Batch matching started"),
        "batch.confirm": _("Batch matching confirmed"),
        # The case's own state follows the offer; the offer's event already tells it.
        "case.match": _("Match in progress"),
        "case.unmatch": _("Back in the pool"),
        "case.park": _("Parked"),
        "case.unpark": _("Parking ended; back in the pool"),
        "case.back_to_table": _("Back to the assessment table after an unjustified refusal"),
    },
    off_timeline=["case.match", "case.unmatch", "status_request.close"],
)
