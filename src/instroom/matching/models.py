from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.applications.models import Application, Client
from instroom.homes.models import Home
from instroom.regions.models import Region, RuleVersion

from .constants import (
    ACTIVE_MATCH_STATES,
    OPEN_STATUS_REQUEST_STATES,
    Consequence,
    MatchState,
    Party,
    Review,
    SnapshotPurpose,
    StatusAnswer,
    StatusRequestState,
    ViewingOutcome,
)


class RankingSnapshot(models.Model):
    """A ranking as it was shown: who was eligible in which order with which points, and
    why the others were not. Kept so anyone can later see who was next and why."""

    home = models.ForeignKey(
        Home, on_delete=models.PROTECT, related_name="rankings", verbose_name=_("home")
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    purpose = models.CharField(_("shown on"), max_length=10, choices=SnapshotPurpose.choices)
    pool_size = models.PositiveIntegerField(_("candidates considered"))
    # The region's rules it was made under (empty: the standard rules of the template).
    rule_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rules version"),
    )
    config = models.JSONField(_("score components used"))
    filters = models.JSONField(_("hard filters used"), default=dict, blank=True)
    eligible = models.JSONField(_("eligible candidates, best first"))
    excluded = models.JSONField(_("excluded candidates with reasons"))
    reason_counts = models.JSONField(_("exclusions per reason"), default=dict)

    class Meta:
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.home} @ {self.created_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """One home offered to one candidate, through the steps of the offer workflow."""

    home = models.ForeignKey(
        Home, on_delete=models.PROTECT, related_name="matches", verbose_name=_("home")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="matches", verbose_name=_("application")
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="matches", verbose_name=_("client")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    state = models.CharField(
        _("state"), max_length=12, choices=MatchState.choices, default=MatchState.PROPOSED
    )
    snapshot = models.ForeignKey(
        RankingSnapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("ranking at the proposal"),
    )
    position = models.PositiveIntegerField(_("position in that ranking"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    step_deadline = models.DateField(_("respond by"))
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("service point alerted at"), null=True, blank=True)
    # A code of the region's `rules.matching.refusal_reason` (checked by the services).
    decline_reason = models.CharField(_("reason"), max_length=40, blank=True)
    decline_note = models.TextField(_("explanation"), blank=True)
    # The named contact of each party (default: whoever acted for it first; that party edits it).
    contact_corporation = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact at the housing corporation"),
    )
    contact_care = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact at the care provider"),
    )
    contact_service_point = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact at the service point"),
    )

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["home"],
                condition=Q(state__in=sorted(ACTIVE_MATCH_STATES)),
                name="match_one_active_per_home",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(state__in=sorted(ACTIVE_MATCH_STATES)),
                name="match_one_active_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.home} ↔ {self.client.candidate_number}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_MATCH_STATES


CONTACT_FIELDS = {
    Party.CORPORATION: "contact_corporation",
    Party.CARE: "contact_care",
    Party.SERVICE_POINT: "contact_service_point",
}


class Viewing(models.Model):
    """A viewing (bezichtiging) of the offered home, with its outcome."""

    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, related_name="viewings", verbose_name=_("match")
    )
    held_on = models.DateField(_("date of the viewing"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ViewingOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("viewing")
        verbose_name_plural = _("viewings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.match}: {self.held_on} {self.get_outcome_display()}"


class StatusRequest(models.Model):
    """A question to the party whose turn it is on a stalled offer: how is it going?"""

    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, related_name="status_requests", verbose_name=_("match")
    )
    party = models.CharField(_("asked of"), max_length=15, choices=Party.choices)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named contact asked"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Empty: sent by the daily follow-up.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_by = models.DateField(_("answer by"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=StatusRequestState.choices,
        default=StatusRequestState.OPEN,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=20, choices=StatusAnswer.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status request")
        verbose_name_plural = _("status requests")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # A rerun of the daily follow-up (or a second click) cannot ask twice.
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(state__in=sorted(OPEN_STATUS_REQUEST_STATES)),
                name="status_request_one_open_per_match",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATUS_REQUEST_STATES


class Refusal(models.Model):
    """A client's refusal of a home, judged by the service point; an unjustified refusal carries
    the consequence its reason has in the region's rules (none, a warning, parked, back to the
    table)."""

    match = models.OneToOneField(
        Match, on_delete=models.PROTECT, related_name="refusal", verbose_name=_("match")
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="refusals")
    review = models.CharField(
        _("judgement"), max_length=12, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("judged at"), null=True, blank=True)
    review_note = models.TextField(_("explanation of the judgement"), blank=True)
    # The region's rules when the client refused (their consequence follows an unjustified one).
    rule_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rules version"),
    )
    consequence = models.CharField(
        _("consequence"), max_length=15, choices=Consequence.choices, blank=True
    )

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["match__state_changed_at"]

    def __str__(self) -> str:
        return f"{self.match}: {self.get_review_display()}"


class Parking(models.Model):
    """A period in which a client is not offered homes (a configured consequence)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="parkings")
    starts_on = models.DateField(_("from"))
    until = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    end_reason = models.TextField(_("why ended early"), blank=True)

    class Meta:
        verbose_name = _("parking")
        verbose_name_plural = _("parkings")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gt=models.F("starts_on")), name="parking_until_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.starts_on} – {self.until}"


class BatchRun(models.Model):
    """One batch matching run for a region: its progress while it runs in the background, its
    proposal and report afterwards, and which pairs a person confirmed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready for review")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    pairs = models.JSONField(_("proposed pairs"), default=list, blank=True)
    # Caps for this run only: {"municipality": {cbs_code: n}, "corporation": {slug: n}}.
    caps = models.JSONField(_("caps for this run"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch matching run")
        verbose_name_plural = _("batch matching runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.region} {self.started_at:%Y-%m-%d %H:%M}"


class CotenantMark(models.Model):
    """The care provider's word that two clients should not live together in one cluster
    (`matching.cotenancy`, when the region's rules respect marks). Recorded by the client's
    applicant worker or the coordinator, withdrawable; the corporation only ever learns that a
    mark applies, never the reason."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="cotenant_marks", verbose_name=_("client")
    )
    other = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("not together with")
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("“not together” mark")
        verbose_name_plural = _("“not together” marks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(client=models.F("other")), name="cotenant_mark_two_clients"
            ),
            models.UniqueConstraint(
                fields=["client", "other"],
                condition=Q(withdrawn_at__isnull=True),
                name="cotenant_mark_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.candidate_number} ≠ {self.other.candidate_number}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
