from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.applications.models import Client
from instroom.forms import DateInput, NLDesignFormMixin
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Municipality, Neighbourhood, Organisation, Region


class PlacementForm(NLDesignFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    corporation = forms.ModelChoiceField(
        label=_("Housing corporation"), queryset=Organisation.objects.none()
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False
    )
    complex_code = forms.CharField(label=_("Complex"), max_length=40, required=False)
    placed_on = forms.DateField(label=_("Contract signed on"), widget=DateInput())
    reference = forms.CharField(
        label=_("Reference"),
        max_length=60,
        required=False,
        help_text=_("For example the address or the corporation's contract number."),
    )
    case_number = forms.CharField(
        label=_("Case number of the client (optional)"),
        max_length=20,
        required=False,
        help_text=_("Links the placement to the client's case; the count needs no personal data."),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        cast(
            forms.ModelChoiceField, self.fields["municipality"]
        ).queryset = region.municipalities.order_by("name")
        cast(
            forms.ModelChoiceField, self.fields["corporation"]
        ).queryset = region.organisations.filter(type=OrganisationType.CORPORATION).order_by("name")
        cast(
            forms.ModelChoiceField, self.fields["neighbourhood"]
        ).queryset = Neighbourhood.objects.filter(municipality__region=region).order_by("name")
        self.style_widgets()

    def clean_case_number(self) -> Client | None:
        number = self.cleaned_data["case_number"].strip()
        if not number:
            return None
        try:
            return Client.objects.get(region=self.region, case_number__iexact=number)
        except Client.DoesNotExist:
            raise forms.ValidationError(
                _("There is no case %(number)s in this region: check the number."),
                params={"number": number},
            ) from None

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as `services.placement_record` takes it."""
        data = dict(self.cleaned_data)
        data["client"] = data.pop("case_number")
        return data


class UndoForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why undo this placement?"), max_length=300)
