"""Posting a rules page as a browser would: every field with the value it shows."""

from typing import Any

from instroom.configuration.forms import PAGE_BY_KEY, PageEditor
from instroom.regions.selectors import rules_for


def form_data(region_id: int, page: str, **changes: Any) -> dict[str, Any]:
    """The data a browser posts for `page` of the rules in force, with `changes` (by field name
    as posted, e.g. `matching-score-origin_points`, `matching-refusal_reason-5-consequence`)."""
    editor = PageEditor(PAGE_BY_KEY[page], rules_for(region_id).rules)
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if isinstance(value, bool) or name == "DELETE":
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            else:
                data[bound.html_name] = value

    for part in editor:
        if part.form is not None:
            add(part.form)
        else:
            assert part.formset is not None
            management = part.formset.management_form
            for name in management.fields:
                data[management[name].html_name] = management[name].value()
            for row in part.formset.forms:
                add(row)
    data["valid_from"] = editor.change["valid_from"].value().isoformat()
    data["note"] = "Test"
    data["confirmed"] = "1"  # a version from today: the confirmation is given
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
