"""The client and their case. Issue "intake" extends the application with its full content."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom import validation
from instroom.regions.constants import CareSource
from instroom.regions.models import (
    AssessmentTable,
    Municipality,
    Neighbourhood,
    Organisation,
    Region,
)
from instroom.regions.selectors import rules_for

from .constants import (
    ACTIVE_STATES,
    HOUSEHOLD_ADULTS,
    HOUSEHOLD_CHILDREN,
    ROOMS_NEEDED,
    SUPPORT_MONTHS,
    BudgetManagement,
    CaseState,
    MotivationFileType,
)


def validate_bsn(value: str) -> None:
    """Stored form only: nine ASCII digits passing the 11-check (input goes through
    `validation.normalise_bsn` first)."""
    validation.validate_stored_bsn(value)


def new_candidate_number() -> str:
    # What a corporation sees instead of a name: says nothing about the person or the case.
    return "K-" + secrets.token_hex(3).upper()


class Client(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    candidate_number = models.CharField(
        _("candidate number"), max_length=12, unique=True, default=new_candidate_number
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    bsn = models.CharField(_("BSN"), max_length=9, validators=[validate_bsn])
    date_of_birth = models.DateField(_("date of birth"))
    source = models.CharField(_("current care"), max_length=10, choices=CareSource.choices)
    care_provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clients_in_care",
        verbose_name=_("care provider (applicant)"),
    )
    support_provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clients_supported",
        verbose_name=_("ambulant care provider (woonbegeleiding)"),
    )
    municipality_of_origin = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality of origin")
    )
    household_adults = models.PositiveSmallIntegerField(_("adults in the household"), default=1)
    household_children = models.PositiveSmallIntegerField(_("children in the household"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # The same person's earlier client record in this region (same BSN), so the service point
    # sees the history. A new record, not the old one reused: another care provider applying
    # again must not see the earlier case's file.
    previous_client = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_clients",
        verbose_name=_("earlier client record"),
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["case_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_adults__range=HOUSEHOLD_ADULTS),
                name="client_household_adults_range",
            ),
            models.CheckConstraint(
                condition=Q(household_children__range=HOUSEHOLD_CHILDREN),
                name="client_household_children_range",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Application(models.Model):
    """One application (aanmelding) and the state of the case it opens."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="applications", verbose_name=_("client")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT
    )
    # Denormalised from the client so the database can refuse a second active application.
    bsn = models.CharField(_("BSN"), max_length=9)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # The state the case was withdrawn from, so the service point can reinstate it there.
    withdrawn_from = models.CharField(
        _("withdrawn from"), max_length=20, choices=CaseState.choices, blank=True
    )
    # From the table's rejection: no new application for this BSN before this date.
    earliest_reapplication = models.DateField(
        _("earliest re-application"), null=True, blank=True, editable=False
    )

    # Where the client lives now.
    current_facility = models.CharField(_("current facility"), max_length=200, blank=True)
    # Household extras (adults and children are on the client).
    pets = models.BooleanField(_("pets"), default=False)
    pets_note = models.CharField(_("which pets"), max_length=200, blank=True)
    # Housing needs.
    rooms_min = models.PositiveSmallIntegerField(
        _("rooms needed (at least)"), null=True, blank=True
    )
    needs_ground_floor_or_lift = models.BooleanField(
        _("ground floor or lift needed"), default=False
    )
    needs_wheelchair_access = models.BooleanField(_("wheelchair access needed"), default=False)
    # Income and support.
    yearly_income_eur = models.DecimalField(
        _("yearly household income (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    budget_management = models.CharField(
        _("budget management"), max_length=20, choices=BudgetManagement.choices, blank=True
    )
    expected_support_months = models.PositiveSmallIntegerField(
        _("expected months of woonbegeleiding"), null=True, blank=True
    )
    # Dossier weight and history.
    # A code of the region's `rules.dossier_weight` (validated by the services).
    dossier_weight = models.CharField(_("dossier weight"), max_length=30, blank=True)
    history_nuisance = models.BooleanField(_("history of nuisance"), default=False)
    history_arrears = models.BooleanField(_("history of rent arrears"), default=False)
    history_eviction = models.BooleanField(_("history of eviction"), default=False)
    history_justice = models.BooleanField(_("justice history"), default=False)
    # The client's own motivation: typed, or an uploaded document (checked by content).
    motivation_text = models.TextField(_("motivation letter"), blank=True)
    motivation_file = models.FileField(
        _("motivation letter (file)"), upload_to="motivation/%Y/", blank=True
    )
    motivation_file_type = models.CharField(
        max_length=10, choices=MotivationFileType.choices, blank=True
    )
    motivation_file_name = models.CharField(max_length=200, blank=True)
    # Consent to share data with the named parties.
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_parties = models.JSONField(_("parties named in the consent"), default=list, blank=True)
    # Milestones for lead times.
    # Kept in step by the services from Preference/Exclusion rows and the table's decision, so
    # that the match point reads a whole pool in one flat query (ids, comma-separated).
    pool_preferences = models.CharField(max_length=300, blank=True, editable=False)
    pool_excluded_municipalities = models.CharField(max_length=300, blank=True, editable=False)
    pool_excluded_neighbourhoods = models.CharField(max_length=1000, blank=True, editable=False)
    urgency = models.PositiveSmallIntegerField(_("urgency set by the table"), default=0)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("complete since"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    table = models.ForeignKey(
        AssessmentTable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("assessment table"),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-state_changed_at"]
        indexes = [
            # The match point reads the pool (approved and parked) of a region for every ranking.
            models.Index(
                fields=["client"],
                condition=Q(state__in=["approved", "parked"]),
                name="application_in_pool",
            ),
            models.Index(fields=["state"], name="application_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rooms_min__isnull=True) | Q(rooms_min__range=ROOMS_NEEDED),
                name="application_rooms_min_range",
            ),
            models.CheckConstraint(
                condition=Q(expected_support_months__isnull=True)
                | Q(expected_support_months__range=SUPPORT_MONTHS),
                name="application_support_months_range",
            ),
            models.UniqueConstraint(
                fields=["bsn"],
                condition=Q(state__in=sorted(ACTIVE_STATES)),
                name="one_active_application_per_bsn",
                violation_error_message=_("This client already has an active application."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.case_number} ({self.get_state_display()})"

    @property
    def contract_form(self) -> str | None:
        """The contract form the expected support suggests (before a decision picks one): the
        region's first form with the client as tenant when the support fits in the region's
        support period, else its first form rented to the care provider."""
        if self.expected_support_months is None:
            return None
        forms = rules_for(self.client.region_id).rules.contract_form
        tenant = (
            "client"
            if self.expected_support_months <= self.client.region.support_months
            else "care_provider"
        )
        return next((f.code for f in forms if f.tenant == tenant), forms[0].code)

    def dossier_weight_label(self) -> str:
        if not self.dossier_weight:
            return ""
        return rules_for(self.client.region_id).rules.label("dossier_weight", self.dossier_weight)

    @property
    def has_motivation(self) -> bool:
        return bool(self.motivation_text.strip() or self.motivation_file)


class Preference(models.Model):
    """A preferred municipality, in the client's order (rank 1 = first choice)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="preferences"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="preference_unique_rank"),
            models.UniqueConstraint(
                fields=["application", "municipality"], name="preference_unique_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.municipality}"


class Exclusion(models.Model):
    """A municipality or neighbourhood the client must not live in, and why (a category)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="exclusions"
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("neighbourhood"),
    )
    # A code of the region's `rules.exclusion_reason` (validated by the services).
    reason = models.CharField(_("reason"), max_length=30)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(neighbourhood__isnull=False),
                name="exclusion_names_a_place",
            )
        ]

    def __str__(self) -> str:
        return str(self.neighbourhood or self.municipality)

    def reason_label(self) -> str:
        return rules_for(self.application.client.region_id).rules.label(
            "exclusion_reason", self.reason
        )


class Document(models.Model):
    """A document beside the motivation letter that the region's intake rules may ask for
    (`rules.intake.required_documents`: a support plan, an income statement); one per kind."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=30)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    file_type = models.CharField(max_length=10, choices=MotivationFileType.choices)
    file_name = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_document_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.application.client.case_number}: {self.kind}"
