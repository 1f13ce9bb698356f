"""Code keeps only the states of the journey and fixed vocabularies; everything that differs
between regions is in the region's rules (`regions.rules`, DOMAIN.md "Rules as data"). A new
TextChoices must be added here with the reason it is not regional — or become rules data."""

import re
from pathlib import Path

import instroom

# name -> why it is not a region's own list
ALLOWED = {
    # States of the journey (each has its state machine in `instroom.statemachine`).
    "CaseState": "journey state of an application",
    "SessionStatus": "state of a table session",
    "HomeState": "journey state of a home",
    "MatchState": "journey state of an offer",
    "StatusRequestState": "state of a status request",
    "ContractState": "journey state of a contract",
    "MeetingState": "state of a meeting",
    "SignalState": "state of a signal",
    "CaseTableStatus": "state of a signal on the case table",
    "TimeOutState": "state of a time-out",
    "Status": "state of a background run (forecast, batch matching)",
    "Review": "the service point's judgement of a refusal: justified or not",
    "Outcome": "the three outcomes of an assessment: approve, reject, defer",
    "FinalOutcome": "the three outcomes of a final evaluation: convert, extend, end",
    # Fixed vocabularies, the same in every region.
    "Role": "the roles of DOMAIN.md §2",
    "OrganisationType": "the kinds of organisation of DOMAIN.md §2",
    "EventKind": "kinds of audit event",
    "CareSource": "where clients come from (BW, MO, youth care, other); a region admits some",
    "BudgetManagement": "forms of budget support in Dutch law",
    "HouseholdType": "household types of passend toewijzen (national rule)",
    "HomeType": "kinds of home a corporation offers",
    "MotivationFileType": "file formats of the motivation letter",
    "InvitationKind": "the kinds of extra participant at a table",
    "ViewingOutcome": "what happened at a viewing",
    "Party": "the three parties of an offer",
    "StatusAnswer": "answers to a status request",
    "Consequence": "what a refusal reason can lead to (the reasons themselves are rules)",
    "ChecklistAnswer": "the answer scale of a checklist (the questions are rules)",
    "SnapshotPurpose": "where a ranking was shown",
    "WellKnownFigure": "figures the platform names in every language (a region adds its own kinds)",
    "ApportionmentMethod": "named apportionment methods",
    "CarryOver": "named carry-over rules",
    "NeighbourhoodLevel": "CBS district or neighbourhood",
    "TimeOutPlaceKind": "kinds of time-out place (crisis bed, time-out home, network, other)",
}
REGIONAL = {
    "DeclineReason",
    "ExclusionReason",
    "DossierWeight",
    "ContractForm",
    "MeetingKind",
    "SignalKind",
    "Severity",
    "SignalOutcome",
}


def test_textchoices_are_only_journey_states_and_fixed_vocabularies() -> None:
    root = Path(instroom.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(re.findall(r"class (\w+)\(models\.TextChoices\)", path.read_text()))
    assert not found & REGIONAL, "a region's own list is rules data, not code"
    assert found <= set(ALLOWED), f"explain or move to the rules: {sorted(found - set(ALLOWED))}"
