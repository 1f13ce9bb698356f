from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

# The case moves with the contract; the contract's event already tells the client's timeline,
# so the case's echo of it stays in the log only.
_CASE_ECHOES = [
    "case.contract",
    "case.contract_undo",
    "case.move_in",
    "case.convert",
    "case.end",
    "case.termination",
    "case.return_to_care",
    "case.end_by_signal",
]

ACTIONS = declare(
    "support",
    {
        "contract.prepare": _("Contract drawn up"),
        "contract.sign": _("Contract signed"),
        "contract.sign_undo": _("Signing taken back"),
        "contract.withdraw": _("Contract withdrawn"),
        "contract.move_in": _("Moved in"),
        "contract.assign": _("Support worker or welfare contact named"),
        "contract.extend": _("Support extended"),
        "contract.convert": _("Converted to a regular lease"),
        "contract.end": _("Support ended"),
        "contract.termination": _("Contract terminated"),
        "contract.return_to_care": _("Returned to care"),
        # A signal closed with an outcome of the region that ends the contract.
        "contract.end_by_signal": _("Contract ended after a signal"),
        "contract.download": _("Contract downloaded"),
        "case.contract": _("Contract signed"),
        "case.contract_undo": _("Signing taken back"),
        "case.move_in": _("Moved in"),
        "case.convert": _("Completed: regular lease"),
        "case.end": _("Support ended"),
        "case.termination": _("Terminated"),
        "case.return_to_care": _("Returned to care"),
        "case.end_by_signal": _("Contract ended after a signal"),
        "orientation.add": _("Orientation activity recorded"),
        "orientation.remove": _("Orientation activity removed"),
        "meeting.plan": _("Meeting planned"),
        "meeting.record": _("Meeting recorded"),
        "meeting.correct": _("Meeting record corrected"),
        "meeting.cancel": _("Meeting cancelled"),
        "signal.report": _("Signal reported"),
        "signal.plan": _("Action plan"),
        "signal.escalate": _("Put on the case table"),
        "signal.back_to_plan": _("Case table decided; back to the action plan"),
        "signal.close": _("Signal closed"),
        "casetable.plan": _("Case table session planned"),
        "casetable.decide": _("Case table decision"),
        "casetable.close": _("Case table session closed"),
        "timeout.start": _("Time-out started"),
        "timeout.end": _("Time-out ended"),
        "calendar.create": _("Calendar feed made"),
        "calendar.revoke": _("Calendar feed stopped"),
    },
    off_timeline=[*_CASE_ECHOES, "meeting.cancel"],
)
