"""The support phase of a regeling: meetings and their schedule, checklist, signals, time-out."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .schema import Term, spec

# When a meeting kind falls due: before the move (handover), at the move-in (introduction),
# a number of months after it (evaluations), at the end of the support (the final evaluation,
# whose outcome converts, extends or ends), or only when someone plans one.
MOMENTS = ("before_move", "move_in", "months_after_move_in", "end_of_support", "on_demand")


@dataclass(frozen=True)
class MeetingKindRule(Term):
    moment: str = spec("on_demand", choices=MOMENTS)
    months: tuple[int, ...] = spec((), min=1, max=120)

    def check(self) -> list[tuple[str, str]]:
        if self.moment == "months_after_move_in" and not self.months:
            return [("months", _("give the months after moving in, e.g. [3, 6, 12]"))]
        return []


@dataclass(frozen=True)
class ChecklistItem:
    text_nl: str = spec(required_text=True, max_length=300)
    text_en: str = spec(required_text=True, max_length=300)
    # Meeting kinds (codes) at which it is asked; empty: every meeting.
    kinds: tuple[str, ...] = spec(())

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "nl").startswith("en") else self.text_nl

    def asked_at(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class SignalOutcomeRule(Term):
    # Ends the contract and the case; only the service point records such an outcome.
    ends_contract: bool = False


DEFAULT_MEETING_KINDS = (
    MeetingKindRule(
        "handover",
        "Warme overdracht (voor de verhuizing)",
        "Warm handover (before the move)",
        moment="before_move",
    ),
    MeetingKindRule(
        "introduction", "Kennismakingsgesprek", "Introduction meeting", moment="move_in"
    ),
    MeetingKindRule(
        "evaluation",
        "Evaluatiegesprek",
        "Evaluation meeting",
        moment="months_after_move_in",
        months=(3, 6, 12, 18),
    ),
    MeetingKindRule("final", "Eindevaluatie", "Final evaluation", moment="end_of_support"),
)
# The standard checklist (asked at every meeting after the move unless `kinds` names some).
DEFAULT_CHECKLIST = (
    ChecklistItem(
        "Wonen: redt de cliënt zich in de woning (schoonmaken, reparaties, buren)?",
        "Living: does the client manage the home (cleaning, repairs, neighbours)?",
    ),
    ChecklistItem(
        "Geld: wordt de huur op tijd betaald; zijn er schulden?",
        "Money: is the rent paid on time; is there any debt?",
    ),
    ChecklistItem(
        "Dagbesteding: werk, school, vrijwilligerswerk of dagbesteding?",
        "Daytime activity: work, school, volunteering or day care?",
    ),
    ChecklistItem(
        "Netwerk: heeft de cliënt contacten in de wijk?",
        "Network: does the client have contacts in the neighbourhood?",
    ),
    ChecklistItem(
        "Gezondheid en zorg: is de begeleiding voldoende; is er zorgmijding?",
        "Health and care: is the support enough; any care avoidance?",
    ),
    ChecklistItem(
        "Afspraken: wat spreken we af tot het volgende gesprek?",
        "Agreements: what do we agree until the next meeting?",
    ),
    ChecklistItem(
        "Is de cliënt klaar voor een regulier huurcontract (omklap)?",
        "Is the client ready for a regular lease (conversion)?",
        kinds=("evaluation", "final"),
    ),
)
DEFAULT_SIGNAL_KINDS = (
    Term("nuisance", "Overlast", "Nuisance"),
    Term("arrears", "Huurachterstand", "Rent arrears"),
    Term("care_avoidance", "Zorgmijding", "Care avoidance"),
    Term("neglect", "Verwaarlozing van de woning", "Neglect of the home"),
    Term("calamity", "Calamiteit", "Calamity"),
)
# In rising order: the last is the most severe.
DEFAULT_SEVERITIES = (
    Term("low", "Laag", "Low"),
    Term("medium", "Gemiddeld", "Medium"),
    Term("high", "Hoog", "High"),
    Term("critical", "Kritiek", "Critical"),
)
DEFAULT_SIGNAL_OUTCOMES = (
    SignalOutcomeRule("resolved", "Opgelost", "Resolved"),
    SignalOutcomeRule("warning", "Formele waarschuwing", "Formal warning"),
    SignalOutcomeRule(
        "termination",
        "Ontbinding van het contract",
        "Termination of the contract",
        ends_contract=True,
    ),
    SignalOutcomeRule("return_to_care", "Terug naar zorg", "Return to care", ends_contract=True),
)


@dataclass(frozen=True)
class Support:
    orientation_months_before: int = spec(6, min=0, max=24)
    handover_days_before: int = spec(7, min=0, max=90)
    plan_days_before: int = spec(14, min=0, max=90)
    escalate_after_days: int = spec(7, min=1, max=60)
    timeout_max_days: int = spec(90, min=1, max=730)
    meeting_kind: tuple[MeetingKindRule, ...] = spec(
        DEFAULT_MEETING_KINDS, unique="code", non_empty=True
    )
    checklist: tuple[ChecklistItem, ...] = spec(DEFAULT_CHECKLIST)
    signal_kind: tuple[Term, ...] = spec(DEFAULT_SIGNAL_KINDS, unique="code", non_empty=True)
    severity: tuple[Term, ...] = spec(DEFAULT_SEVERITIES, unique="code", non_empty=True)
    signal_outcome: tuple[SignalOutcomeRule, ...] = spec(
        DEFAULT_SIGNAL_OUTCOMES, unique="code", non_empty=True
    )

    def check(self) -> list[tuple[str, str]]:
        codes = {k.code for k in self.meeting_kind}
        problems = []
        # The journey needs one final evaluation (its outcome converts, extends or ends) and at
        # most one meeting kind per fixed moment (the handover, the introduction).
        for moment in ("before_move", "move_in", "end_of_support"):
            n = sum(1 for k in self.meeting_kind if k.moment == moment)
            if n > 1 or (moment == "end_of_support" and n == 0):
                problems.append(
                    (
                        "meeting_kind",
                        _("give exactly one meeting kind with moment “%(m)s”") % {"m": moment}
                        if moment == "end_of_support"
                        else _("give at most one meeting kind with moment “%(m)s”") % {"m": moment},
                    )
                )
        for i, item in enumerate(self.checklist):
            for kind in item.kinds:
                if kind not in codes:
                    problems.append(
                        (f"checklist[{i + 1}].kinds", _("“%(k)s” is no meeting kind") % {"k": kind})
                    )
        return problems
