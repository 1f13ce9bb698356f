"""Contract, soft landing and two years of support (DOMAIN.md §3)."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.applications.models import Application, Client
from instroom.distribution.models import Placement
from instroom.homes.models import Home
from instroom.matching.models import Match
from instroom.regions.models import Organisation, Region

from .constants import (
    CaseTableStatus,
    ChecklistAnswer,
    ContractState,
    FinalOutcome,
    MeetingKind,
    MeetingState,
    Severity,
    SignalKind,
    SignalOutcome,
    SignalState,
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
    return [3, 6, 12, 18]


class SupportSettings(models.Model):
    """A region's method for the support phase: meeting schedule, deadlines, contract texts.
    Created with these defaults the first time a region needs it; the administrator edits it."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="support_settings", verbose_name=_("region")
    )
    evaluation_months = models.JSONField(
        _("evaluation meetings, months after moving in"),
        default=default_evaluation_months,
        help_text=_(
            "For example [3, 6, 12, 18]. The introduction meeting is at the move-in, the final "
            "evaluation at the end of the support period."
        ),
    )
    orientation_months_before = models.PositiveSmallIntegerField(
        _("neighbourhood orientation starts at least this many months before the move"), default=6
    )
    handover_days_before = models.PositiveSmallIntegerField(
        _("warm handover at the latest this many days before the move"), default=7
    )
    plan_days_before = models.PositiveSmallIntegerField(
        _("a meeting should be planned this many days before it is due"), default=14
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("days after a reminder before the service point is alerted"), default=7
    )
    timeout_max_days = models.PositiveSmallIntegerField(
        _("longest time-out (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    three_party_text = models.TextField(
        _("text of the three-party contract"),
        blank=True,
        validators=[validate_contract_text],
        help_text=_(
            "Articles separated by an empty line; a line starting with '## ' is a heading. "
            "Fields in braces are filled in, e.g. {tenant}, {address}. Empty: the standard text."
        ),
    )
    care_lease_text = models.TextField(
        _("text of the agreement when the home is rented to the care provider"),
        blank=True,
        validators=[validate_contract_text],
    )

    class Meta:
        verbose_name = _("support settings")
        verbose_name_plural = _("support settings")

    def __str__(self) -> str:
        return str(self.region)

    def clean(self) -> None:
        months = self.evaluation_months
        if not isinstance(months, list) or not all(
            isinstance(m, int) and 0 < m <= 120 for m in months
        ):
            raise ValidationError(
                {
                    "evaluation_months": _(
                        "Give a list of whole months between 1 and 120, for example [3, 6, 12]."
                    )
                }
            )


class ChecklistQuestion(models.Model):
    """One question of the region's checklist, asked at the meetings of the chosen kinds."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("region")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kinds = models.JSONField(
        _("asked at"),
        default=list,
        blank=True,
        help_text=_("Meeting kinds (introduction, evaluation, final); empty: at every meeting."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["region", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def asked_at(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


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
    # The region's contract forms are rules data now (`rules.contract_form`); these choices only
    # keep the field's migration state until support reads the form from the rules.
    form = models.CharField(
        _("contract form"),
        max_length=20,
        choices=[
            ("three_party", _("Three-party contract (driehoekscontract)")),
            ("care_lease", _("Rented first to the care provider")),
        ],
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
    kind = models.CharField(_("meeting"), max_length=15, choices=MeetingKind.choices)
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
        return f"{self.get_kind_display()} {self.due_on}"

    @property
    def title(self) -> str:
        if self.kind == MeetingKind.EVALUATION and self.months:
            return str(_("Evaluation meeting at %(months)d months") % {"months": self.months})
        return str(self.get_kind_display())


class MeetingAnswer(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="+")
    # The question as it was asked: the region may later reword it.
    question_text = models.CharField(_("question"), max_length=300)
    answer = models.CharField(_("answer"), max_length=10, choices=ChecklistAnswer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["meeting", "question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "question"], name="one_answer_per_question")
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
    kind = models.CharField(_("kind"), max_length=20, choices=SignalKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
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
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=SignalOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("explanation of the outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_severity_display()})"


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


class TimeOut(models.Model):
    """A temporary stay elsewhere, with a maximum length and a plan to return."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="timeouts", verbose_name=_("contract")
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, null=True, blank=True, related_name="timeouts"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (at the latest)"))
    stay = models.CharField(_("where the client stays"), max_length=200)
    return_plan = models.TextField(_("return plan"))
    state = models.CharField(
        _("state"), max_length=15, choices=TimeOutState.choices, default=TimeOutState.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("service point alerted at"), null=True, blank=True)

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
