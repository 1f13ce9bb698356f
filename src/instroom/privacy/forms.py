from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.applications.models import validate_bsn
from instroom.forms import DateInput, NLDesignFormMixin


class CorrectForm(NLDesignFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    bsn = forms.CharField(
        label=_("BSN"), max_length=9, min_length=9, required=False, validators=[validate_bsn]
    )
    reason = forms.CharField(
        label=_("Reason (the client's request)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EraseForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (the client's request to erase)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."))
