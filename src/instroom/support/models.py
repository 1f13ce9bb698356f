"""Contract, soft landing and two years of support (DOMAIN.md §3)."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.applications.models import Application, Client
from instroom.distribution.models import Placement
from instroom.homes.models import Home
from instroom.matching.models import Match
from instroom.regions.models import Municipality, Organisation, Region, RuleVersion
from instroom.regions.rules.support import MOMENTS

from .constants import (
    CaseTableStatus,
    ChecklistAnswer,
    ContractState,
    FinalOutcome,
    MeetingState,
    SignalState,
    TimeOutPlaceKind,
    TimeOutState,
)

# The fields a region's contract text may use, filled from the case ({name} in the text).
CONTRACTPLACEHOLDERS = (
    "region",
    "scheme",  # the region's name with its article ("het Pact voor uitstroom ...")
    "case_number",
    "tenant",
    "date_of_birth",
    "address",
    "municipality",
    "rent",
    "corporation",
    "support_provider",
    "support_months",
    "start_date",
    "contract_form",  # the form's name in the region's rules
    "conversion",  # what follows a positive final evaluation, e.g. "een huurovereenkomst ..."
)
PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")


def validate_contract_text(text: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(text)} - set(CONTRACTPLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown field(s) in the text: %(fields)s. Allowed: %(allowed)s.")
            % {
                "fields": ", ".join("{" + f + "}" for f in unknown),
                "allowed": ", ".join("{" + f + "}" for f in CONTRACTPLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


def new_uid() -> str:
    return secrets.token_hex(16)


def default_evaluation_months() -> list[int]:
    """Referenced by migration 0001 (the removed SupportSettings); the schedule is in the rules."""
    return [3, 6, 12, 18]


class Contract(models.Model):
    """The tenancy that follows an accepted match, and the two years of support around it."""

    match = models.OneToOneField(
        Match, on_delete=models.PROTECT, related_name="contract", verbose_name=_("match")
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="contracts")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("client")
    )
    home = models.ForeignKey(
        Home, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("home")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    # A code of the region's contract forms (`rules.contract_form`), under `rule_version`.
    form = models.CharField(_("contract form"), max_length=30)
    # The rules the contract was made under (None: the template); its form, agreement text,
    # support length, meeting schedule and conversion rule keep coming from them.
    rule_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rules version"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ContractState.choices, default=ContractState.PREPARED
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    support_months = models.PositiveSmallIntegerField(_("months of support"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    key_handover_on = models.DateField(_("keys handed over on"), null=True, blank=True)
    planned_move_in_on = models.DateField(_("planned move-in"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    support_ends_on = models.DateField(_("support ends on"), null=True, blank=True)
    placement = models.OneToOneField(
        Placement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
        verbose_name=_("placement (quota)"),
    )
    document = models.FileField(_("agreement (PDF)"), upload_to="contracts/%Y/", blank=True)
    document_made_at = models.DateTimeField(_("agreement made at"), null=True, blank=True)
    support_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_contracts",
        verbose_name=_("support worker"),
    )
    welfare_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handed_over_contracts",
        verbose_name=_("welfare organisation or district team"),
    )
    welfare_contact = models.CharField(
        _("named contact (welfare or district team)"), max_length=200, blank=True
    )
    final_outcome = models.CharField(
        _("final evaluation"), max_length=10, choices=FinalOutcome.choices, blank=True
    )
    final_note = models.TextField(_("explanation of the final evaluation"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # A form whose conversion is a fixed-term lease: when that lease ends.
    lease_ends_on = models.DateField(_("lease after conversion ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-prepared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moved_in_on__isnull=True)
                | Q(signed_on__isnull=False, moved_in_on__gte=models.F("signed_on")),
                name="contract_move_in_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.case_number} – {self.home.address}"

    @property
    def form_label(self) -> str:
        """The form's name in the rules the contract was made under."""
        from .labels import form_label

        return form_label(self)

    @property
    def rules_label(self) -> str:
        """Which rules the contract was made under, e.g. "rules version 2, applies from ..."."""
        from .labels import contract_effective

        return contract_effective(self).version_label


class OrientationActivity(models.Model):
    """A neighbourhood orientation activity before the move (soft landing)."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="orientation", verbose_name=_("client")
    )
    on = models.DateField(_("date"))
    description = models.CharField(_("activity"), max_length=300)
    organised_by = models.CharField(_("organised by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("orientation activity")
        verbose_name_plural = _("orientation activities")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.description}"


class Meeting(models.Model):
    """A meeting of the region's method: the warm handover before the move, then the
    introduction and evaluations after it, with the checklist answers and notes."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("contract")
    )
    # A code of the region's meeting kinds (`rules.support.meeting_kind`); the code relies
    # only on its moment, kept here as the kind had it when the meeting was made.
    kind = models.CharField(_("meeting"), max_length=30)
    moment = models.CharField(
        _("moment"), max_length=25, choices=[(m, m) for m in MOMENTS], default="on_demand"
    )
    months = models.PositiveSmallIntegerField(_("months after moving in"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState.choices, default=MeetingState.DUE
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendees = models.CharField(_("present"), max_length=400, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("service point alerted at"), null=True, blank=True)
    # Stable for calendar clients: the same meeting keeps its UID when it moves.
    uid = models.CharField(max_length=40, unique=True, default=new_uid, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"

    @property
    def is_handover(self) -> bool:
        return self.moment == "before_move"

    @property
    def title(self) -> str:
        """The kind's name in the rules of the contract, with its months for a scheduled one."""
        from .labels import meeting_title

        return meeting_title(self)


class MeetingAnswer(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="answers")
    # The question's place in the region's checklist when it was asked.
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The question as it was asked: the region may later reword it.
    question_text = models.CharField(_("question"), max_length=300)
    answer = models.CharField(_("answer"), max_length=10, choices=ChecklistAnswer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.get_answer_display()}"


class CalendarFeed(models.Model):
    """A support worker's personal calendar address. Only a hash of the secret is kept; a new
    address revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class CaseTableSession(models.Model):
    """A session of the region's case table (casuïstiektafel)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CaseTableStatus.choices,
        default=CaseTableStatus.PLANNED,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case table session")
        verbose_name_plural = _("case table sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Signal(models.Model):
    """A concern about a tenancy, reported by the corporation, the support worker or the
    district team, with its action plan, escalation and outcome."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="signals", verbose_name=_("contract")
    )
    # Codes of the region's lists (`rules.support.signal_kind`, `.severity`), checked by the
    # service against the rules in force when the signal is reported.
    kind = models.CharField(_("kind"), max_length=30)
    severity = models.CharField(_("severity"), max_length=30)
    description = models.TextField(_("what happened"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reporter_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=SignalState.choices, default=SignalState.OPEN
    )
    action_plan = models.TextField(_("action plan"), blank=True)
    action_plan_at = models.DateTimeField(_("action plan updated at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    outcome_note = models.TextField(_("explanation of the outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.severity})"

    # The region's wording (labels.py): the rules in force when the signal was reported.
    @property
    def kind_label(self) -> str:
        from .labels import signal_label

        return signal_label(self, "signal_kind", self.kind)

    @property
    def severity_label(self) -> str:
        from .labels import signal_label

        return signal_label(self, "severity", self.severity)

    @property
    def outcome_label(self) -> str:
        from .labels import signal_label

        return signal_label(self, "signal_outcome", self.outcome) if self.outcome else ""


class CaseTableItem(models.Model):
    """A signal on the agenda of a case table session, and what the table decided."""

    session = models.ForeignKey(
        CaseTableSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("session"),
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, related_name="table_items", verbose_name=_("signal")
    )
    added_at = models.DateTimeField(_("put on the agenda at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case table item")
        verbose_name_plural = _("case table items")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal"],
                condition=Q(decided_at__isnull=True),
                name="signal_once_on_open_agenda",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal} @ {self.session}"


class TimeOutPlace(models.Model):
    """A place of the region's register where a client can spend a time-out: a crisis bed, a
    time-out home, a stay in the family or network. Never deleted once booked: deactivated."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="timeout_places", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TimeOutPlaceKind.choices)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timeout_places",
        verbose_name=_("provider"),
    )
    # For a place outside the region's organisations, e.g. a family's home.
    provider_text = models.CharField(_("provider (other)"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    conditions = models.TextField(_("conditions"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("time-out place")
        verbose_name_plural = _("time-out places")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="timeout_place_name_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="timeout_place_capacity"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_name(self) -> str:
        return self.provider.name if self.provider_id else self.provider_text  # type: ignore[union-attr]


class TimeOut(models.Model):
    """A temporary stay elsewhere, with a maximum length and a plan to return."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="timeouts", verbose_name=_("contract")
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, null=True, blank=True, related_name="timeouts"
    )
    # A place of the register; None: a stay elsewhere, told in `stay` (and every time-out made
    # before the register).
    place = models.ForeignKey(
        TimeOutPlace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timeouts",
        verbose_name=_("time-out place"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (at the latest)"))
    stay = models.CharField(_("where the client stays"), max_length=200, blank=True)
    return_plan = models.TextField(_("return plan"))
    state = models.CharField(
        _("state"), max_length=15, choices=TimeOutState.choices, default=TimeOutState.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("service point alerted at"), null=True, blank=True)
    # The day before the end: the service point was told to get the return ready.
    ending_reminded_at = models.DateTimeField(_("end announced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("time-out")
        verbose_name_plural = _("time-outs")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="timeout_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(state=TimeOutState.ACTIVE),
                name="one_active_timeout_per_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"

    @property
    def where(self) -> str:
        """The place of the register, or the stay told in free text."""
        return self.place.name if self.place_id else self.stay  # type: ignore[union-attr]
