"""The one way a support page handles a form post."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from instroom.http import AuthenticatedHttpRequest


def _apply(form: django_forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form, beside the field it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _post(
    request: AuthenticatedHttpRequest,
    form: django_forms.Form | None,
    action: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    then: HttpResponse | Callable[[Any], HttpResponse],
    again: Callable[[django_forms.Form], HttpResponse] | None = None,
    back: HttpResponse | None = None,
) -> HttpResponse:
    """The one way a support page handles a post. Check the form (None: a button without
    input), call the service with its data; on success say `done` and go on to `then` (or
    `then(what the service returned)`). On invalid input or a refusal (ValidationError),
    `again(form)` shows the page again with the input kept and the reason beside the field; a
    post from a page without its own form says the reason in a message and goes `back`. A
    PermissionDenied from the service is left to Django: 403."""
    if form is None:
        form = django_forms.Form(request.POST)
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            if done:
                messages.success(request, done)
            return then if isinstance(then, HttpResponse) else then(result)
    if again is not None:
        return again(form)
    if back is None:
        raise TypeError("_post needs `again` or `back` to answer a refusal")
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return back
