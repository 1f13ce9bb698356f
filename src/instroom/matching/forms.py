from django import forms
from django.utils.translation import gettext_lazy as _

from instroom.forms import NLDesignFormMixin

from .constants import DeclineReason, Review


class DecideForm(NLDesignFormMixin, forms.Form):
    answer = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accept")), ("no", _("Decline"))],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[("", "—"), *DeclineReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when declining for another reason."),
    )

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
