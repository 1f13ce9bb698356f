from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.accounts.models import User
from instroom.forms import DateInput, NLDesignFormMixin
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation, Region

from .constants import Review, ViewingOutcome


class DecideForm(NLDesignFormMixin, forms.Form):
    answer = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accept")), ("no", _("Decline"))],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    # Choices: the region's own reasons (`rules.matching.refusal_reason`), given by the view.
    reason = forms.ChoiceField(label=_("Reason for declining"), choices=[], required=False)
    note = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when declining for another reason."),
    )

    def __init__(self, *args: Any, reasons: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "—"), *reasons]  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("answer") is False and not data.get("reason"):
            self.add_error("reason", _("Choose a reason for declining."))
        return data


class NoteForm(NLDesignFormMixin, forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(NLDesignFormMixin, forms.Form):
    judgement = forms.TypedChoiceField(
        label=_("Judgement"),
        choices=[(r.value, r.label) for r in (Review.JUSTIFIED, Review.UNJUSTIFIED)],
        widget=forms.RadioSelect,
        coerce=lambda v: v == Review.JUSTIFIED,
    )
    note = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required for an unjustified refusal; the care provider reads it."),
    )


WHOLE_NUMBER = _("Enter a whole number of homes (0 or more), or leave it empty.")


class BatchCapsForm(NLDesignFormMixin, forms.Form):
    """Caps for one batch run: at most so many homes proposed now per municipality and per
    corporation of the region; empty is no cap. A cap per corporation makes the run use the
    mixed-integer programme (with its gap and time limit)."""

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities = list(region.municipalities.order_by("name"))
        self.corporations = list(
            Organisation.objects.filter(region=region, type=OrganisationType.CORPORATION).order_by(
                "name"
            )
        )
        for m in self.municipalities:
            self.fields[f"municipality_{m.cbs_code}"] = self._field(
                _("At most this many homes in %(name)s") % {"name": m.name}
            )
        for c in self.corporations:
            self.fields[f"corporation_{c.slug}"] = self._field(
                _("At most this many homes of %(name)s") % {"name": c.name}
            )
        self.style_widgets()

    def _field(self, label: str) -> forms.IntegerField:
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            max_value=100_000,
            error_messages={
                "invalid": WHOLE_NUMBER,
                "min_value": WHOLE_NUMBER,
                "max_value": _("That is more homes than a run can propose: enter a smaller cap."),
            },
        )

    def caps(self) -> dict[str, dict[str, int]]:
        """The caps filled in, as `batch.RunCaps.as_dict()`."""
        data = self.cleaned_data
        return {
            "municipality": {
                m.cbs_code: data[f"municipality_{m.cbs_code}"]
                for m in self.municipalities
                if data.get(f"municipality_{m.cbs_code}") is not None
            },
            "corporation": {
                c.slug: data[f"corporation_{c.slug}"]
                for c in self.corporations
                if data.get(f"corporation_{c.slug}") is not None
            },
        }


class ViewingForm(NLDesignFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Date of the viewing"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ViewingOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReopenForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the offer reopened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: declined by mistake. The parties read this reason."),
    )


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.email})" if obj.email else str(obj)


class ContactForm(NLDesignFormMixin, forms.Form):
    """A party names its contact person: one of its own people."""

    contact = _PersonChoiceField(label=_("Contact person"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates.order_by("last_name", "first_name", "username")


class CotenantMarkForm(NLDesignFormMixin, forms.Form):
    client = forms.CharField(
        label=_("Client (case or candidate number)"), max_length=20, strip=True
    )
    other = forms.CharField(
        label=_("Should not live together with (case or candidate number)"),
        max_length=20,
        strip=True,
    )
    reason = forms.CharField(
        label=_("Reason (short; never shown to the corporation)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
