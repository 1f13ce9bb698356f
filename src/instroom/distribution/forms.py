from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

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
        help_text=_("For example the case number or the address; no personal data needed."),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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


class UndoForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why undo this placement?"), max_length=300)
