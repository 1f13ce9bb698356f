"""The intake and assessment operations in the API: the same services and policy as the pages."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from instroom.api import fields
from instroom.applications import selectors, services
from instroom.applications.completeness import missing_parts
from instroom.applications.constants import (
    HOUSEHOLD_ADULTS,
    HOUSEHOLD_CHILDREN,
    ROOMS_NEEDED,
    SUPPORT_MONTHS,
    BudgetManagement,
)
from instroom.applications.models import Application, Client
from instroom.assessment import selectors as assessment_selectors
from instroom.assessment import services as assessment_services
from instroom.assessment.constants import Outcome, Urgency
from instroom.assessment.models import AgendaItem, Session
from instroom.policy import rules
from instroom.policy.rules import PERSONAL_DETAIL
from instroom.regions.models import Municipality, Organisation

from .actors import actor_of as _actor


class ApplicationSummarySerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="client.case_number")
    client_id = serializers.IntegerField()

    class Meta:
        model = Application
        fields = [
            "id",
            "client_id",
            "case_number",
            "state",
            "state_changed_at",
            "submitted_at",
            "completed_at",
            "decided_at",
        ]


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    preferences = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "current_facility",
            "pets",
            "pets_note",
            "rooms_min",
            "needs_ground_floor_or_lift",
            "needs_wheelchair_access",
            "yearly_income_eur",
            "budget_management",
            "expected_support_months",
            "dossier_weight",
            "history_nuisance",
            "history_arrears",
            "history_eviction",
            "history_justice",
            "motivation_text",
            "consent_given",
            "return_reason",
            "preferences",
            "missing",
        ]

    def to_representation(self, instance: Application) -> dict[str, Any]:
        """Only the field groups of the minimisation table the caller sees (`groups` in the
        context, from the caller's view of the client); none when it is missing."""
        data = super().to_representation(instance)
        groups = self.context.get("groups", frozenset())
        return {
            name: value
            for name, value in data.items()
            if rules.APPLICATION_FIELD_GROUP.get(name) in groups
        }

    def get_preferences(self, obj: Application) -> list[str]:
        return [p.municipality.cbs_code for p in obj.preferences.select_related("municipality")]

    def get_missing(self, obj: Application) -> list[str]:
        return [str(m.message) for m in missing_parts(obj)]


class ApplicationCreateSerializer(serializers.Serializer):
    care_provider = serializers.SlugField(help_text="Slug of the applicant's care organisation")
    support_provider = serializers.SlugField(help_text="Slug of the ambulant care provider")
    municipality_of_origin = serializers.RegexField(r"^GM\d{4}$", help_text="CBS code")
    first_name = fields.NameField()
    last_name = fields.NameField()
    bsn = fields.BSNField()
    date_of_birth = fields.DateOfBirthField()
    source = serializers.CharField()  # type: ignore[assignment]
    household_adults = fields.WholeNumberField(
        min_value=HOUSEHOLD_ADULTS[0], max_value=HOUSEHOLD_ADULTS[1], default=1
    )
    household_children = fields.WholeNumberField(
        min_value=HOUSEHOLD_CHILDREN[0], max_value=HOUSEHOLD_CHILDREN[1], default=0
    )
    current_facility = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationUpdateSerializer(serializers.Serializer):
    current_facility = serializers.CharField(required=False, allow_blank=True)
    pets = serializers.BooleanField(required=False)
    pets_note = serializers.CharField(required=False, allow_blank=True)
    rooms_min = fields.WholeNumberField(
        required=False, min_value=ROOMS_NEEDED[0], max_value=ROOMS_NEEDED[1]
    )
    needs_ground_floor_or_lift = serializers.BooleanField(required=False)
    needs_wheelchair_access = serializers.BooleanField(required=False)
    yearly_income_eur = fields.AmountField(
        required=False, max_digits=9, decimal_places=2, min_value=0, max_value=9_999_999
    )
    budget_management = serializers.ChoiceField(required=False, choices=BudgetManagement.choices)
    expected_support_months = fields.WholeNumberField(
        required=False, min_value=SUPPORT_MONTHS[0], max_value=SUPPORT_MONTHS[1]
    )
    # A code of the region's dossier weights (`rules.dossier_weight`); the service checks it.
    dossier_weight = serializers.CharField(required=False, allow_blank=True, max_length=30)
    history_nuisance = serializers.BooleanField(required=False)
    history_arrears = serializers.BooleanField(required=False)
    history_eviction = serializers.BooleanField(required=False)
    history_justice = serializers.BooleanField(required=False)
    motivation_text = serializers.CharField(required=False, allow_blank=True)


class PreferencesSerializer(serializers.Serializer):
    municipalities = serializers.ListField(
        child=serializers.RegexField(r"^GM\d{4}$"), help_text="CBS codes, most preferred first"
    )


class ConsentSerializer(serializers.Serializer):
    given = serializers.BooleanField()


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasoning = serializers.CharField(allow_blank=True)
    # A code of the region's contract forms (`rules.contract_form`); the service checks it.
    contract_form = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=30
    )
    support_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=SUPPORT_MONTHS[0],
        max_value=SUPPORT_MONTHS[1],
    )
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, required=False, default=Urgency.NORMAL
    )
    earliest_reapplication = serializers.DateField(required=False, allow_null=True, default=None)
    missing_information = serializers.CharField(required=False, allow_blank=True, default="")
    # The service point only: let the decision through before the session's day, with a reason.
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500
    )


class ApplicationViewSet(viewsets.GenericViewSet):
    """Applications the caller may see. Reading one logs the read of personal data."""

    serializer_class = ApplicationSummarySerializer
    queryset = Application.objects.none()  # for the schema; get_queryset scopes per caller

    def get_queryset(self) -> Any:
        return selectors.application_list(actor=_actor(self.request))

    def _get(self, pk: str | None) -> Application:
        try:
            return self.get_queryset().get(pk=int(pk or 0))
        except (Application.DoesNotExist, ValueError):
            raise Http404 from None

    def _detail(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        application.refresh_from_db()
        view = selectors.minimise(_actor(self.request), application.client)
        groups = view.groups_for(application)  # a draft: its writer and the service point only
        if view.level not in PERSONAL_DETAIL or not groups:
            raise Http404
        selectors.log_reads(
            actor=_actor(self.request), views=[view], action="application.view", purpose="API"
        )
        return Response(
            ApplicationDetailSerializer(application, context={"groups": groups}).data,
            status=code,
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApplicationSummarySerializer(page, many=True).data)

    @extend_schema(responses=ApplicationDetailSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(self._get(pk))

    @extend_schema(request=ApplicationCreateSerializer, responses=ApplicationDetailSerializer)
    def create(self, request: Request) -> Response:
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        orgs = selectors.care_providers_writing(actor=_actor(request))
        care_provider = get_object_or_404(orgs, slug=d.pop("care_provider"))
        region = care_provider.region
        d["support_provider"] = get_object_or_404(
            Organisation, region=region, slug=d["support_provider"]
        )
        d["municipality_of_origin"] = get_object_or_404(
            Municipality, region=region, cbs_code=d["municipality_of_origin"]
        )
        application = services.application_create(
            actor=_actor(request), care_provider=care_provider, **d
        )
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationDetailSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        data = ApplicationUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.application_update(
            actor=_actor(request), application=application, **data.validated_data
        )
        return self._detail(application)

    @extend_schema(request=PreferencesSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["put"])
    def preferences(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        data = PreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region = application.client.region
        by_code = {m.cbs_code: m for m in region.municipalities.all()}
        unknown = [c for c in data.validated_data["municipalities"] if c not in by_code]
        if unknown:
            raise serializers.ValidationError(
                {"municipalities": [f"Unknown: {', '.join(unknown)}"]}
            )
        services.application_set_preferences(
            actor=_actor(request),
            application=application,
            municipalities=[by_code[c] for c in data.validated_data["municipalities"]],
        )
        return self._detail(application)

    @extend_schema(request=ConsentSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_record_consent(
            actor=_actor(request), application=application, given=data.validated_data["given"]
        )
        return self._detail(application)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        services.application_submit(actor=_actor(request), application=application)
        return self._detail(application)

    @extend_schema(request=ReturnSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_return(
            actor=_actor(request), application=application, reason=data.validated_data["reason"]
        )
        return self._detail(application)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        services.application_mark_complete(actor=_actor(request), application=application)
        return self._detail(application)

    @extend_schema(request=DecisionSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        """Where the region's route has no table: the service point's decision on a complete
        (or deferred) case, with the same validation as a table's."""
        application = self._get(pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment_services.service_point_decision_record(
            actor=_actor(request), application=application, **data.validated_data
        )
        return self._detail(application)

    @extend_schema(request=ReturnSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        application = self._get(pk)
        data = ReturnSerializer(data=request.data)  # the same shape: a reason
        data.is_valid(raise_exception=True)
        services.application_withdraw(
            actor=_actor(request), application=application, reason=data.validated_data["reason"]
        )
        return self._detail(application)

    @extend_schema(request=ReturnSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str | None = None) -> Response:
        """Undo a withdrawal (the service point): back to the step it was withdrawn from."""
        application = self._get(pk)
        data = ReturnSerializer(data=request.data)  # the same shape: a reason
        data.is_valid(raise_exception=True)
        services.application_reinstate(
            actor=_actor(request), application=application, reason=data.validated_data["reason"]
        )
        return self._detail(application)


class SessionSerializer(serializers.ModelSerializer):
    table = serializers.CharField(source="table.slug")

    class Meta:
        model = Session
        fields = ["id", "table", "starts_at", "location", "status"]


class AgendaAddSerializer(serializers.Serializer):
    application = serializers.IntegerField()


class AgendaItemSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="application.client.case_number")

    class Meta:
        model = AgendaItem
        fields = ["id", "session", "application", "case_number", "position", "is_open"]


class SessionViewSet(viewsets.GenericViewSet):
    """Table sessions the caller takes part in; agenda and decisions."""

    serializer_class = SessionSerializer
    queryset = Session.objects.none()

    def get_queryset(self) -> Any:
        return assessment_selectors.session_list(actor=_actor(self.request))

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    def _session(self, pk: str | None) -> Session:
        try:
            return assessment_selectors.session_get(actor=_actor(self.request), pk=int(pk or 0))
        except (Session.DoesNotExist, ValueError):
            raise Http404 from None

    @extend_schema(request=AgendaAddSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        session = self._session(pk)
        data = AgendaAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = get_object_or_404(
            Application.objects.filter(
                client__in=Client.objects.filter(rules.client_scope(_actor(request)))
            ),
            pk=data.validated_data["application"],
        )
        item = assessment_services.agenda_add(
            actor=_actor(request), session=session, application=application
        )
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class AgendaItemViewSet(viewsets.GenericViewSet):
    serializer_class = AgendaItemSerializer
    queryset = AgendaItem.objects.none()

    def get_queryset(self) -> Any:
        return AgendaItem.objects.filter(
            session__in=assessment_selectors.session_list(actor=_actor(self.request))
        )

    @extend_schema(request=DecisionSerializer, responses=ApplicationSummarySerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        # DRF's get_object_or_404: a malformed id in the URL is a 404, not a 500.
        item = get_object_or_404(self.get_queryset(), pk=pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment_services.decision_record(actor=_actor(request), item=item, **data.validated_data)
        item.application.refresh_from_db()
        return Response(ApplicationSummarySerializer(item.application).data)
