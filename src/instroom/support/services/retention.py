"""Retention: what of the support stage goes when a client's file is anonymised."""

from typing import Any

from ..models import (
    CaseTableItem,
    Contract,
    Meeting,
    MeetingAnswer,
    OrientationActivity,
    Signal,
    TimeOut,
)


def anonymise_client(client: Any) -> None:
    """Retention: the stored agreements go, free text about the person is emptied."""
    for contract in Contract.objects.filter(client=client):
        if contract.document:
            contract.document.delete(save=False)
            contract.document = ""
        contract.welfare_contact = ""
        contract.final_note = ""
        contract.save(update_fields=["document", "welfare_contact", "final_note"])
    Meeting.objects.filter(contract__client=client).update(notes="", attendees="", location="")
    MeetingAnswer.objects.filter(meeting__contract__client=client).update(note="")
    Signal.objects.filter(contract__client=client).update(
        description="—", action_plan="", outcome_note=""
    )
    CaseTableItem.objects.filter(signal__contract__client=client).update(decision="—")
    TimeOut.objects.filter(contract__client=client).update(stay="—", return_plan="")
    OrientationActivity.objects.filter(client=client).update(description="—", organised_by="")
