from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "instroom.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from instroom.audit.timeline import register_labels
        from instroom.privacy.services import register_anonymiser

        from .services import anonymise_client

        register_anonymiser(anonymise_client)
        register_labels(
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
                "case.contract": _("Contract signed"),
                "case.contract_undo": _("Signing taken back"),
                "case.move_in": _("Moved in"),
                "case.convert": _("Completed: regular lease"),
                "case.end": _("Support ended"),
                "case.termination": _("Terminated"),
                "case.return_to_care": _("Returned to care"),
                "orientation.add": _("Orientation activity recorded"),
                "orientation.remove": _("Orientation activity removed"),
                "meeting.plan": _("Meeting planned"),
                "meeting.record": _("Meeting recorded"),
                "meeting.correct": _("Meeting record corrected"),
                "signal.report": _("Signal reported"),
                "signal.plan": _("Action plan"),
                "signal.escalate": _("Put on the case table"),
                "signal.back_to_plan": _("Case table decided; back to the action plan"),
                "signal.close": _("Signal closed"),
                "casetable.decide": _("Case table decision"),
                "timeout.start": _("Time-out started"),
                "timeout.end": _("Time-out ended"),
            }
        )
