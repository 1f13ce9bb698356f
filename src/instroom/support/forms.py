from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import DateInput, NLDesignFormMixin, StepOrderOverrideMixin
from instroom.regions.models import Municipality, Organisation
from instroom.regions.rules.support import Support

from .constants import ChecklistAnswer, FinalOutcome, TimeOutPlaceKind
from .models import TimeOutPlace
from .services.meetings import ChecklistQuestion


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, always ISO like DateInput."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )


class SignForm(NLDesignFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed by all three parties on"), widget=DateInput())
    key_handover_on = forms.DateField(label=_("Keys handed over on"), widget=DateInput())
    planned_move_in_on = forms.DateField(label=_("Planned move-in"), widget=DateInput())


class MoveInForm(StepOrderOverrideMixin, NLDesignFormMixin, forms.Form):
    moved_in_on = forms.DateField(label=_("Moved in on"), widget=DateInput())


class ReasonForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(NLDesignFormMixin, forms.Form):
    support_worker: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Support worker"), queryset=None, required=False, empty_label=_("(not named yet)")
    )
    welfare_organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Welfare organisation or district team"),
        queryset=None,
        required=False,
        empty_label=_("(not handed over yet)"),
    )
    welfare_contact = forms.CharField(
        label=_("Named contact there"),
        required=False,
        max_length=200,
        help_text=_("Name and how to reach them, e.g. “Sanne (wijkteam Noord), 023 123 45 67”."),
    )

    def __init__(self, *args: Any, support_workers: Any, welfare: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_worker"].queryset = support_workers  # type: ignore[attr-defined]
        worker = self.fields["support_worker"]
        worker.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
        self.fields["welfare_organisation"].queryset = welfare  # type: ignore[attr-defined]


class OrientationForm(NLDesignFormMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("Activity"), max_length=300)
    organised_by = forms.CharField(label=_("Organised by"), max_length=200, required=False)


class FinalForm(StepOrderOverrideMixin, NLDesignFormMixin, forms.Form):
    """Converting is offered only when the contract's form has a conversion."""

    outcome = forms.ChoiceField(
        label=_("Outcome of the final evaluation"),
        choices=FinalOutcome.choices,
        widget=forms.RadioSelect,
    )
    new_end = forms.DateField(
        label=_("New end of the support"),
        widget=DateInput(),
        required=False,
        help_text=_("Only when the support is extended."),
    )
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, may_convert: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_convert:
            self.fields["outcome"].choices = [  # type: ignore[attr-defined]
                c for c in FinalOutcome.choices if c[0] != FinalOutcome.CONVERT
            ]


class MeetingPlanForm(NLDesignFormMixin, forms.Form):
    planned_at = _datetime_field(_("Date and time"))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class MeetingRecordForm(StepOrderOverrideMixin, NLDesignFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendees = forms.CharField(
        label=_("Present"),
        max_length=400,
        required=False,
        help_text=_(
            "For the warm handover: residential care, support worker, corporation, district team."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(
        self, *args: Any, questions: list[ChecklistQuestion], handover: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        if not handover:
            self.fields["attendees"].help_text = ""
        for q in questions:
            # The region's own question, in the reader's language (the rules hold both).
            self.fields[f"q{q.position}"] = forms.ChoiceField(
                label=q.text,
                choices=ChecklistAnswer.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"q{q.position}_note"] = forms.CharField(
                label=_("Note"), max_length=500, required=False
            )
        self.style_widgets()

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            q.position: (data.get(f"q{q.position}", ""), data.get(f"q{q.position}_note", ""))
            for q in self.questions
        }


def _choices(terms: Any) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in terms]


class SignalForm(NLDesignFormMixin, forms.Form):
    """The kinds and severities are the region's (`rules.support`)."""

    kind = forms.ChoiceField(label=_("Kind of signal"))
    severity = forms.ChoiceField(label=_("Severity"))
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facts only; no medical details."),
    )

    def __init__(self, *args: Any, support: Support, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices(support.signal_kind)  # type: ignore[attr-defined]
        self.fields["severity"].choices = _choices(support.severity)  # type: ignore[attr-defined]
        self.style_widgets()


class ActionPlanForm(NLDesignFormMixin, forms.Form):
    action_plan = forms.CharField(label=_("Action plan"), widget=forms.Textarea(attrs={"rows": 4}))


class EscalateForm(NLDesignFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What should the case table decide?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseSignalForm(NLDesignFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"))
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, may_end: bool, support: Support, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Outcomes that end the contract only for the service point.
        self.fields["outcome"].choices = _choices(  # type: ignore[attr-defined]
            o for o in support.signal_outcome if may_end or not o.ends_contract
        )
        self.style_widgets()


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class TimeOutForm(NLDesignFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until (at the latest)"), widget=DateInput())
    place = PlaceChoiceField(
        label=_("Time-out place"),
        queryset=TimeOutPlace.objects.none(),
        required=False,
        empty_label=_("Elsewhere, not in the register (say where below)"),
    )
    stay = forms.CharField(
        label=_("Elsewhere: where the client stays"),
        max_length=200,
        required=False,
        help_text=_("Only for a stay not in the register, e.g. with family."),
    )
    return_plan = forms.CharField(label=_("Return plan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = TimeOutPlace.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id, active=True
        )
        self.style_widgets()


class TimeOutPlaceForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TimeOutPlaceKind.choices)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(not an organisation of the region)"),
    )
    provider_text = forms.CharField(
        label=_("Provider, if not an organisation of the region"),
        max_length=200,
        required=False,
        help_text=_("E.g. “family of the client” or a provider outside the region."),
    )
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=500)
    conditions = forms.CharField(
        label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id, active=True
        ).order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id
        ).order_by("name")
        self.style_widgets()


class TimeOutPlaceEditForm(TimeOutPlaceForm):
    active = forms.BooleanField(
        label=_("Active: can be booked"),
        required=False,
        help_text=_("Untick to take the place out of the register; its history stays."),
    )


class TimeOutEndForm(NLDesignFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    returned = forms.TypedChoiceField(
        label=_("Did the client return home?"),
        choices=[("yes", _("Yes, returned home")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


class CaseTableSessionForm(NLDesignFormMixin, forms.Form):
    starts_at = _datetime_field(_("Date and time"))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class CaseTableDecisionForm(NLDesignFormMixin, forms.Form):
    decision = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        # Posted from the session's list, so the reason is said in a message, not beside a field.
        error_messages={"required": _("Write down what the table decided.")},
    )
    outcome = forms.ChoiceField(label=_("Close the signal with this outcome"), required=False)

    def __init__(self, *args: Any, support: Support, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            ("", _("(not yet: back to the action plan)")),
            *_choices(support.signal_outcome),
        ]
        self.style_widgets()
