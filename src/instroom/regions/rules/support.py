"""The support phase of a regeling: meetings and their schedule, checklist, signals, time-out."""

from dataclasses import dataclass

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
    checklist: tuple[ChecklistItem, ...] = spec(())
    signal_kind: tuple[Term, ...] = spec(DEFAULT_SIGNAL_KINDS, unique="code", non_empty=True)
    severity: tuple[Term, ...] = spec(DEFAULT_SEVERITIES, unique="code", non_empty=True)
    signal_outcome: tuple[SignalOutcomeRule, ...] = spec(
        DEFAULT_SIGNAL_OUTCOMES, unique="code", non_empty=True
    )

    def check(self) -> list[tuple[str, str]]:
        codes = {k.code for k in self.meeting_kind}
        problems = []
        for i, item in enumerate(self.checklist):
            for kind in item.kinds:
                if kind not in codes:
                    problems.append(
                        (f"checklist[{i + 1}].kinds", _("“%(k)s” is no meeting kind") % {"k": kind})
                    )
        return problems
