from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin
from instroom.validation import BSNFormField, DateOfBirthFormField, NameFormField


class CorrectForm(NLDesignFormMixin, forms.Form):
    first_name = NameFormField(label=_("First name"), required=False)
    last_name = NameFormField(label=_("Last name"), required=False)
    date_of_birth = DateOfBirthFormField(
        label=_("Date of birth"), required=False, widget=DateInput()
    )
    bsn = BSNFormField(label=_("BSN"), required=False)
    reason = forms.CharField(
        label=_("Reason (the client's request)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EraseForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (the client's request to erase)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."))
