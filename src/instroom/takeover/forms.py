from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import NLDesignFormMixin
from instroom.regions.models import Region

from .reading import MAX_ROWS


class UploadForm(NLDesignFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File of running cases"),
        help_text=_("CSV (separated by ; or ,) or Excel (.xlsx), at most 5 MB and %(max)d rows.")
        % {"max": MAX_ROWS},
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = regions  # type: ignore[attr-defined]
        if len(regions) == 1:
            field.initial = regions[0]
            field.widget = forms.HiddenInput()


class ConfirmForm(NLDesignFormMixin, forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput(), max_length=64)
    confirm = forms.BooleanField(
        label=_(
            "I understand that the import cannot be undone: the cases are created in this region."
        )
    )
