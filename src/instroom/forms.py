"""Form rendering shared by every app: NL Design System (Utrecht) classes on Django widgets."""

from typing import Any

from django import forms
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
