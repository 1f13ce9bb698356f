"""Assessment tables at work: members, sessions, agendas, invitations and reasoned decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.applications.constants import SUPPORT_MONTHS
from instroom.applications.models import Application
from instroom.regions.models import AssessmentTable, RuleVersion
from instroom.regions.selectors import EffectiveRules, rules_version

from .constants import InvitationKind, Outcome, SessionStatus, Urgency


class TableMember(models.Model):
    table = models.ForeignKey(
        AssessmentTable, on_delete=models.CASCADE, related_name="members", verbose_name=_("table")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="table_memberships",
        verbose_name=_("user"),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("table member")
        verbose_name_plural = _("table members")
        constraints = [
            models.UniqueConstraint(fields=["table", "user"], name="table_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.table}"


class Session(models.Model):
    table = models.ForeignKey(
        AssessmentTable, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("table")
    )
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    agenda_published_at = models.DateTimeField(_("agenda sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("table session")
        verbose_name_plural = _("table sessions")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.table} {local:%d-%m-%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.PLANNED


class AgendaItem(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="items", verbose_name=_("session")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("application"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("taken off the agenda at"), null=True, blank=True)
    # Open until decided or taken off the agenda.
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]
        constraints = [
            # A case is on one open agenda at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_open=True),
                name="one_open_agenda_item_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.application.client.case_number}"


class Invitation(models.Model):
    """An extra participant for one case on one session. For police this is the only access."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="table_invitations",
        verbose_name=_("invited"),
    )
    kind = models.CharField(_("as"), max_length=20, choices=InvitationKind.choices)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class Decision(models.Model):
    """The decision on an application: a table's (on its agenda item) or, where the region's
    route lets the service point decide alone, the service point's (no agenda item)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("application"),
    )
    item = models.OneToOneField(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("case on the agenda"),
    )
    # The rules the decision was made under (None: the template); a later change of the rules
    # does not change what this decision meant.
    rule_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rules version"),
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reasoning = models.TextField(_("reasoning"))
    # Approve: conditions.
    # A code of the region's `rules.contract_form`, as it was under `rule_version`.
    contract_form = models.CharField(_("contract form"), max_length=30, blank=True)
    support_months = models.PositiveSmallIntegerField(_("months of support"), null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    # Reject.
    earliest_reapplication = models.DateField(_("earliest re-application"), null=True, blank=True)
    # Defer.
    missing_information = models.TextField(_("what is missing"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.APPROVE)
                | (~Q(contract_form="") & Q(support_months__isnull=False)),
                name="approval_has_conditions",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REJECT) | Q(earliest_reapplication__isnull=False),
                name="rejection_has_reapplication_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.DEFER) | ~Q(missing_information=""),
                name="deferral_says_what_is_missing",
            ),
            models.CheckConstraint(condition=~Q(reasoning=""), name="decision_has_reasoning"),
            models.CheckConstraint(
                condition=Q(support_months__isnull=True) | Q(support_months__range=SUPPORT_MONTHS),
                name="decision_support_months_range",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="decision_urgency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application.client.case_number}"

    @property
    def rules(self) -> "EffectiveRules":
        """The rules this decision was made under."""
        return rules_version(self.rule_version_id)

    @property
    def contract_form_label(self) -> str:
        return (
            self.rules.rules.label("contract_form", self.contract_form)
            if self.contract_form
            else ""
        )

    @property
    def version_label(self) -> str:
        return self.rules.version_label
