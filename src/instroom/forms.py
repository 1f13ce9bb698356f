"""Form rendering shared by every app: NL Design System (Utrecht) classes on Django widgets."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's label for the empty choice of a select; its Dutch catalogue has no translation
# yet, so ours carries it (the project's catalogue comes first).
gettext_noop("- Select an option -")

_WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    # Django puts a radio group's attrs on its container too: radios are styled in app.css.
    forms.RadioSelect: "",
}


class NLDesignFormMixin:
    """Give widgets the design system's classes (without validating the form early)."""

    # `{{ form }}` renders with this template (found through FORM_RENDERER = TemplatesSetting).
    template_name = "includes/form_div.html"
    template_name_div = "includes/form_div.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        """Idempotent: forms that add fields in __init__ call it again afterwards."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if "utrecht-" in widget.attrs.get("class", ""):
                continue
            css = next(
                (c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            # Django itself adds aria-invalid and aria-describedby to fields with errors.
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    """The browser's date picker: its value is always ISO (yyyy-mm-dd), whatever the language;
    Django would otherwise write the Dutch 17-05-1990, which the picker throws away."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StepOrderOverrideMixin:
    """The service point's override of the journey's order (applications.step_order): a
    checkbox and a reason, added only when the view says the user may (`may_override`, from the
    policy). `cleaned_data["override_reason"]` is what the service gets: "" unless ticked."""

    def __init__(self, *args: Any, may_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_override:
            fields = self.fields  # type: ignore[attr-defined]
            fields["override"] = forms.BooleanField(
                label=_("Allow this step out of its order (service point)"),
                required=False,
                help_text=_(
                    "Only when practice needs it, e.g. a move without a warm handover in a crisis."
                    " It is shown on the client's timeline and counted in the monitoring."
                ),
            )
            fields["override_reason"] = forms.CharField(
                label=_("Why is this step taken out of its order?"),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.style_widgets()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        if "override" not in self.fields:  # type: ignore[attr-defined]
            data["override_reason"] = ""
            return data
        if not data.pop("override", False):
            data["override_reason"] = ""
        elif not (data.get("override_reason") or "").strip():
            self.add_error(  # type: ignore[attr-defined]
                "override_reason", _("Say why this step is taken out of its order.")
            )
        return data
