from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin

from .constants import EventKind


class AccessLogFilterForm(NLDesignFormMixin, forms.Form):
    user = forms.CharField(label=_("User name"), required=False)
    client = forms.IntegerField(label=_("Client number (internal)"), required=False, min_value=1)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *EventKind.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=DateInput(),
    )
