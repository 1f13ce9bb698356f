from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from instroom.policy import rules

from . import selectors
from .forms import AccessLogFilterForm


def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.event_list(
        region_ids=rules.scope_for(request.user).coordinated_regions, **filters
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = (
        "audit/_events.html" if request.headers.get("HX-Request") else "audit/access_log.html"
    )
    return render(request, template, {"form": form, "page": page})
