from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin
from instroom.regions.constants import CareSource, OrganisationType
from instroom.regions.models import (
    AssessmentTable,
    Municipality,
    Neighbourhood,
    Organisation,
    Region,
)
from instroom.regions.selectors import rules_for
from instroom.validation import (
    AmountFormField,
    BSNFormField,
    DateOfBirthFormField,
    NameFormField,
)

from .constants import (
    HOUSEHOLD_ADULTS,
    HOUSEHOLD_CHILDREN,
    MOTIVATION_MAX_BYTES,
    ROOMS_NEEDED,
    SUPPORT_MONTHS,
    BudgetManagement,
    CaseState,
)


def _region_choices(form: forms.Form, region: Region) -> None:
    fields: dict[str, Any] = form.fields
    if "source" in fields:
        fields["source"].choices = [
            (value, label)
            for value, label in CareSource.choices
            if value in region.admitted_sources
        ]
    if "municipality_of_origin" in fields:
        municipalities = region.municipalities.order_by("name")
        fields["municipality_of_origin"].queryset = municipalities
        if len(municipalities) == 1 and not form.initial.get("municipality_of_origin"):
            # A one-municipality regeling (Overbetuwe): nothing to choose.
            form.initial["municipality_of_origin"] = municipalities[0].pk
    if "support_provider" in fields:
        fields["support_provider"].queryset = region.organisations.filter(
            provides_ambulant_support=True, active=True
        ).order_by("name")


class IdentityForm(NLDesignFormMixin, forms.Form):
    first_name = NameFormField(label=_("First name"))
    last_name = NameFormField(label=_("Last name"))
    bsn = BSNFormField(
        label=_("BSN"),
        help_text=_("Nine digits, as on the client's ID card."),
    )
    date_of_birth = DateOfBirthFormField(label=_("Date of birth"), widget=DateInput())
    current_facility = forms.CharField(
        label=_("Current facility"),
        max_length=200,
        required=False,
        help_text=_("Where the client lives now, e.g. the name of the location."),
    )
    source = forms.ChoiceField(label=_("Type of current care"))
    municipality_of_origin = forms.ModelChoiceField(
        label=_("Municipality of origin"),
        queryset=Municipality.objects.none(),
        help_text=_("Decides which assessment table assesses the application."),
    )
    support_provider = forms.ModelChoiceField(
        label=_("Ambulant care provider for woonbegeleiding"),
        queryset=Organisation.objects.none(),
        help_text=_("Required: the organisation that will support the client at home."),
    )

    def __init__(self, *args: Any, region: Region, bsn_locked: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _region_choices(self, region)
        if bsn_locked:
            # The BSN identifies the case; a wrong one means a new application.
            del self.fields["bsn"]


class HouseholdForm(NLDesignFormMixin, forms.Form):
    household_adults = forms.IntegerField(
        label=_("Adults in the household"),
        min_value=HOUSEHOLD_ADULTS[0],
        max_value=HOUSEHOLD_ADULTS[1],
    )
    household_children = forms.IntegerField(
        label=_("Children in the household"),
        min_value=HOUSEHOLD_CHILDREN[0],
        max_value=HOUSEHOLD_CHILDREN[1],
    )
    pets = forms.BooleanField(label=_("The household has pets"), required=False)
    pets_note = forms.CharField(label=_("Which pets"), max_length=200, required=False)
    rooms_min = forms.IntegerField(
        label=_("Rooms needed (at least)"),
        min_value=ROOMS_NEEDED[0],
        max_value=ROOMS_NEEDED[1],
        help_text=_("Living room included: a one-room flat is 1."),
    )
    needs_ground_floor_or_lift = forms.BooleanField(
        label=_("Needs a ground floor or a lift"), required=False
    )
    needs_wheelchair_access = forms.BooleanField(
        label=_("Needs a wheelchair-accessible home"), required=False
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any):
        super().__init__(*args, **kwargs)
        municipalities = list(region.municipalities.order_by("name"))
        for rank in range(1, len(municipalities) + 1):
            self.fields[f"preference_{rank}"] = forms.ModelChoiceField(
                label=_("Preference %(rank)d") % {"rank": rank},
                queryset=region.municipalities.order_by("name"),
                required=False,
                empty_label=_("(none)"),
            )
        self.preference_names = [f"preference_{r}" for r in range(1, len(municipalities) + 1)]
        reasons = rules_for(region.pk).rules.choices("exclusion_reason")
        for i in range(1, 4):
            self.fields[f"exclusion_{i}_place"] = forms.ChoiceField(
                label=_("Excluded place %(n)d") % {"n": i},
                required=False,
                choices=self._place_choices(region),
            )
            self.fields[f"exclusion_{i}_reason"] = forms.ChoiceField(
                label=_("Reason"),
                required=False,
                choices=[("", _("(choose)")), *reasons],
            )
            self.fields[f"exclusion_{i}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=300
            )
        self.style_widgets()

    @staticmethod
    def _place_choices(region: Region) -> list[tuple[str, Any]]:
        choices: list[tuple[str, Any]] = [("", _("(none)"))]
        for m in region.municipalities.order_by("name"):
            choices.append((f"m{m.pk}", m.name))
        for n in Neighbourhood.objects.filter(municipality__region=region).select_related(
            "municipality"
        ):
            choices.append((f"n{n.pk}", f"{n.municipality.name}: {n}"))
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[Any] = [data[name] for name in self.preference_names if data.get(name)]
        if len({m.pk for m in chosen}) != len(chosen):
            raise forms.ValidationError(_("Each municipality can appear only once in the order."))
        data["preferences"] = chosen
        exclusions = []
        for i in range(1, 4):
            place, reason = data.get(f"exclusion_{i}_place"), data.get(f"exclusion_{i}_reason")
            if not place:
                continue
            if not reason:
                self.add_error(f"exclusion_{i}_reason", _("Choose why this place is excluded."))
                continue
            item: dict[str, Any] = {"reason": reason, "note": data.get(f"exclusion_{i}_note", "")}
            if place.startswith("m"):
                item["municipality"] = Municipality.objects.get(pk=int(place[1:]))
            else:
                item["neighbourhood"] = Neighbourhood.objects.select_related("municipality").get(
                    pk=int(place[1:])
                )
            exclusions.append(item)
        data["exclusions"] = exclusions
        return data


class SupportForm(NLDesignFormMixin, forms.Form):
    yearly_income_eur = AmountFormField(
        label=_("Yearly household income (EUR, gross)"),
        min_value=0,
        max_value=9_999_999,
        max_digits=9,
        decimal_places=2,
        help_text=_("Decides the highest rent that fits (passend toewijzen)."),
    )
    budget_management = forms.ChoiceField(
        label=_("Budget management"), choices=[("", _("(choose)")), *BudgetManagement.choices]
    )
    expected_support_months = forms.IntegerField(
        label=_("Expected months of woonbegeleiding after moving in"),
        min_value=SUPPORT_MONTHS[0],
        max_value=SUPPORT_MONTHS[1],
        help_text=_(
            "Up to the region's support period: three-party contract; longer: the home is "
            "rented to the care provider first."
        ),
    )


class DossierForm(NLDesignFormMixin, forms.Form):
    dossier_weight = forms.ChoiceField(
        label=_("Dossier weight"),
        required=False,
        help_text=_(
            "Heavy dossiers get extra participants at the table (care, corporation, police)."
        ),
    )
    history_nuisance = forms.BooleanField(label=_("History of nuisance"), required=False)
    history_arrears = forms.BooleanField(label=_("History of rent arrears"), required=False)
    history_eviction = forms.BooleanField(label=_("History of eviction"), required=False)
    history_justice = forms.BooleanField(label=_("Justice history"), required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["dossier_weight"]
        field.choices = [("", _("(choose)")), *rules_for(region.pk).rules.choices("dossier_weight")]


class MotivationForm(NLDesignFormMixin, forms.Form):
    motivation_text = forms.CharField(
        label=_("The client's motivation letter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Required before submitting: the letter in the client's own words here, or upload "
            "it below."
        ),
    )
    motivation_file = forms.FileField(
        label=_("Or upload the letter (PDF, DOCX or ODT)"),
        required=False,
        # Filled in when shown, in the reader's language (not once, at import, in Dutch).
        help_text=lazy(
            lambda: gettext("At most %(mb)d MB.") % {"mb": MOTIVATION_MAX_BYTES // (1024 * 1024)},
            str,
        )(),
    )

    support_plan_file = forms.FileField(
        label=_("Support plan (PDF, DOCX or ODT)"),
        required=False,
    )
    income_statement_file = forms.FileField(
        label=_("Income statement (PDF, DOCX or ODT)"),
        required=False,
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One of the two is required before submitting (the draft may wait): neither is
        # "optional", so the form does not say so.
        for name in ("motivation_text", "motivation_file"):
            self.fields[name].show_optional = False  # type: ignore[attr-defined]
        # The other documents: asked only where the region's intake rules require them.
        required = rules_for(region.pk).rules.intake.required_documents
        for kind in ("support_plan", "income_statement"):
            if kind in required:
                self.fields[f"{kind}_file"].show_optional = False  # type: ignore[attr-defined]
                self.fields[f"{kind}_file"].help_text = _(
                    "Required in this region before submitting."
                )
            else:
                del self.fields[f"{kind}_file"]


class ConsentForm(NLDesignFormMixin, forms.Form):
    consent_given = forms.BooleanField(
        label=_("The client agrees that their data are shared with the parties named above."),
        required=False,
    )


class ReinstateForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the withdrawal undone?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the client's timeline."),
    )


class ReturnForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is missing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant sees this and completes the application."),
    )


class ClientListForm(NLDesignFormMixin, forms.Form):
    """Search, filters and order of the client list (GET). Every field is optional; a value
    that is not one of the choices is left out with a message, never a server error."""

    SORTS = ("case", "-case", "name", "-name", "state", "-state", "since", "-since")
    DEFAULT_SORT = "-since"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, case number or candidate number; BSN where you may see it."),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    table = forms.ModelChoiceField(
        label=_("Assessment table"), queryset=AssessmentTable.objects.none(), required=False
    )
    care_provider = forms.ModelChoiceField(
        label=_("Care provider"), queryset=Organisation.objects.none(), required=False
    )
    source = forms.ChoiceField(label=_("Current care"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality of origin"), queryset=Municipality.objects.none(), required=False
    )
    # Set by the column headings; an unknown order is ignored.
    sort = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["state"].choices = [("", _("All states")), *CaseState.choices]
        fields["source"].choices = [("", _("All")), *CareSource.choices]
        fields["table"].queryset = AssessmentTable.objects.filter(region_id__in=regions).order_by(
            "name"
        )
        fields["care_provider"].queryset = Organisation.objects.filter(
            region_id__in=regions, type=OrganisationType.CARE_PROVIDER
        ).order_by("name")
        fields["municipality"].queryset = Municipality.objects.filter(
            region_id__in=regions
        ).order_by("name")
        for name in ("table", "care_provider", "municipality"):
            fields[name].empty_label = _("All")
        for field in fields.values():
            field.show_optional = False  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is dropped (its error shows on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        found = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if found.get("sort") not in self.SORTS:
            found.pop("sort", None)
        return found
