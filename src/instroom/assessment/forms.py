from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instroom.applications.constants import SUPPORT_MONTHS
from instroom.forms import DateInput, NLDesignFormMixin, StepOrderOverrideMixin
from instroom.regions.models import AssessmentTable
from instroom.regions.selectors import rules_for

from .constants import Outcome, Urgency


class SessionForm(NLDesignFormMixin, forms.Form):
    table: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Table"), queryset=AssessmentTable.objects.none()
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def __init__(self, *args: Any, tables: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["table"]
        field.queryset = tables


class DecisionForm(StepOrderOverrideMixin, NLDesignFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the table decided this; the applicant reads it."),
    )
    contract_form = forms.ChoiceField(label=_("Contract form (approve)"), required=False)
    support_months = forms.IntegerField(
        label=_("Months of support (approve)"),
        required=False,
        min_value=SUPPORT_MONTHS[0],
        max_value=SUPPORT_MONTHS[1],
        help_text=_("Empty: the support length of the chosen contract form."),
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency (approve)"),
        required=False,
        coerce=int,
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
    )
    earliest_reapplication = forms.DateField(
        label=_("Earliest re-application (reject)"),
        required=False,
        widget=DateInput(),
    )
    missing_information = forms.CharField(
        label=_("What is missing (defer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forms_of_region = rules_for(region_id).rules.contract_form
        field: Any = self.fields["contract_form"]
        field.choices = [
            ("", _("(choose)")),
            *[
                (
                    f.code,
                    _("%(form)s (%(months)d months of support)")
                    % {"form": f.label, "months": f.support_months},
                )
                for f in forms_of_region
            ],
        ]

    def clean_urgency(self) -> int:
        value = self.cleaned_data.get("urgency")
        return int(value) if value not in (None, "") else Urgency.NORMAL


class ReasonForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


def default_start() -> Any:
    return (timezone.localtime() + timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
