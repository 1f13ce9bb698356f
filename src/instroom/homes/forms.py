from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Municipality, Neighbourhood, Organisation, Region
from instroom.validation import AmountFormField, AvailableFromFormField, WholeNumberFormField

from .models import Cluster, Home
from .services import CLUSTER_FIELDS, CLUSTER_HOME_FIELDS, HOME_FIELDS, PLACE_FIELDS
from .validators import NUMBER_RANGES, normalise_postcode


class HomeForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Home
        fields = HOME_FIELDS
        # The one validation layer (also the API's and the import's): bounded, exact parsing.
        field_classes = {
            "house_number": WholeNumberFormField,
            "rooms": WholeNumberFormField,
            "floor": WholeNumberFormField,
            "rent_eur": AmountFormField,
            "available_from": AvailableFromFormField,
        }
        widgets = {
            "available_from": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
        }

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = cast(forms.ModelChoiceField, self.fields["municipality"])
        municipality.queryset = Municipality.objects.filter(region=region)
        neighbourhood = cast(forms.ModelChoiceField, self.fields["neighbourhood"])
        neighbourhood.queryset = Neighbourhood.objects.filter(
            municipality__region=region
        ).select_related("municipality")
        neighbourhood.label_from_instance = lambda n: f"{n.municipality} – {n}"  # type: ignore[method-assign,assignment]
        for name, (low, high) in NUMBER_RANGES.items():
            if name not in self.fields:
                continue
            field: Any = self.fields[name]
            field.min_value, field.max_value = low, high
        self.style_widgets()

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        municipality, neighbourhood = data.get("municipality"), data.get("neighbourhood")
        if municipality and neighbourhood and neighbourhood.municipality_id != municipality.pk:
            self.add_error("neighbourhood", _("This neighbourhood lies in another municipality."))
        return data

    def _post_clean(self) -> None:
        # The service validates the model (with region and corporation set); a ModelForm's own
        # instance check would run without them.
        pass


class WithdrawForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the home withdrawn?"),
        max_length=300,
        help_text=_("For example: let through the regular route, or needs renovation."),
    )


class ImportForm(NLDesignFormMixin, forms.Form):
    file = forms.FileField(
        label=_("List of homes"),
        help_text=_("CSV (separated by ; or ,) or Excel (.xlsx), at most 2 MB and 2000 rows."),
    )


class ClusterForm(NLDesignFormMixin, forms.ModelForm):
    """The cluster's own fields (the woonvorm); the address and each place come beside it."""

    class Meta:
        model = Cluster
        fields = CLUSTER_FIELDS

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = cast(forms.ModelChoiceField, self.fields["support_provider"])
        provider.queryset = Organisation.objects.filter(
            region=region, type=OrganisationType.CARE_PROVIDER, active=True
        )
        self.style_widgets()

    def _post_clean(self) -> None:
        pass  # the service validates the cluster with its region and corporation


class ClusterHomeForm(HomeForm):
    """What all places of a cluster share: the address, complex, type and date."""

    class Meta(HomeForm.Meta):
        fields = CLUSTER_HOME_FIELDS  # type: ignore[assignment]


class PlaceForm(NLDesignFormMixin, forms.ModelForm):
    """One place of a cluster: its own name, rent, rooms, floor and features."""

    class Meta:
        model = Home
        fields = PLACE_FIELDS
        field_classes = {
            "rooms": WholeNumberFormField,
            "floor": WholeNumberFormField,
            "rent_eur": AmountFormField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].required = True
        for name, (low, high) in NUMBER_RANGES.items():
            if name in self.fields:
                field: Any = self.fields[name]
                field.min_value, field.max_value = low, high
        self.style_widgets()

    def _post_clean(self) -> None:
        pass


PlaceFormSet = forms.formset_factory(
    PlaceForm, extra=0, min_num=2, max_num=24, validate_min=True, validate_max=True, absolute_max=24
)
