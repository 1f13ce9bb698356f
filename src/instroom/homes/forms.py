from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin
from instroom.regions.models import Municipality, Neighbourhood, Region
from instroom.validation import AmountFormField, AvailableFromFormField, WholeNumberFormField

from .models import Home
from .services import HOME_FIELDS
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
