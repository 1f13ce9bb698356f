"""The regional administrator's rules pages (thin: ask the policy, call a service or selector)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.policy import rules as policy
from instroom.regions.models import Region, RuleVersion
from instroom.regions.selectors import rules_for, rules_version

from . import selectors, services
from .forms import PAGE_BY_KEY, PAGES, ChangeForm, PageEditor


def _region(request: HttpRequest, slug: str) -> Region:
    region = get_object_or_404(Region, slug=slug)
    if not policy.may_configure_region(request.user, region.pk):
        raise PermissionDenied(_("You do not configure this region."))
    return region


def index(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.configurable_regions(request.user))  # type: ignore[arg-type]
    if len(regions) == 1:
        return redirect("configuration:region", slug=regions[0].slug)
    return render(request, "configuration/index.html", {"regions": regions})


def region_rules(request: HttpRequest, slug: str) -> HttpResponse:
    region = _region(request, slug)
    effective = rules_for(region.pk)
    return render(
        request,
        "configuration/region.html",
        {
            "region": region,
            "effective": effective,
            "summary": selectors.summary(effective.rules),
            "future": selectors.future_versions(region),
            "pages": PAGES,
        },
    )


def edit(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    region = _region(request, slug)
    page = PAGE_BY_KEY[section]
    shown = rules_for(region.pk)
    editor = PageEditor(page, shown.rules, request.POST if request.method == "POST" else None)
    confirm_today = False
    if request.method == "POST" and editor.is_valid():
        valid_from = editor.change.cleaned_data["valid_from"]
        # A version from today changes running work (offers, refusals, meetings) at its next
        # step: asked once more before it is saved.
        confirm_today = valid_from == timezone.localdate() and not request.POST.get("confirmed")
    if request.method == "POST" and editor.is_valid() and not confirm_today:
        valid_from = editor.change.cleaned_data["valid_from"]
        base = rules_for(region.pk, on=valid_from)
        try:
            version = services.change_rules(
                region,
                actor=request.user,  # type: ignore[arg-type]
                valid_from=valid_from,
                rules=editor.rules_on(base.rules),
                note=editor.change.cleaned_data["note"],
            )
        except services.InvalidRules as exc:
            editor.add_problems(exc.problems)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        editor.change.add_error(
                            field if field in editor.change.fields else None, error
                        )
            else:
                editor.errors.extend(exc.messages)
        else:
            messages.success(
                request,
                _("Saved as version %(n)d, applying from %(d)s.")
                % {"n": version.number, "d": version.valid_from.strftime("%d-%m-%Y")},
            )
            return redirect("configuration:region", slug=region.slug)
    return render(
        request,
        "configuration/edit.html",
        {
            "region": region,
            "page": page,
            "editor": editor,
            "effective": shown,
            "confirm_today": confirm_today,
        },
    )


def versions(request: HttpRequest, slug: str) -> HttpResponse:
    region = _region(request, slug)
    return render(
        request,
        "configuration/versions.html",
        {
            "region": region,
            "versions": selectors.version_list(region),
            "effective": rules_for(region.pk),
            "today": timezone.localdate(),
        },
    )


def version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    region = _region(request, slug)
    row = get_object_or_404(RuleVersion.objects.select_related("created_by"), pk=pk, region=region)
    effective = rules_version(row.pk)
    return render(
        request,
        "configuration/version.html",
        {
            "region": region,
            "version": row,
            "summary": selectors.summary(effective.rules),
            "in_force": rules_for(region.pk).version_id == row.pk,
            "form": ChangeForm(
                initial={
                    "valid_from": timezone.localdate(),
                    "note": _("Back to version %(n)d") % {"n": row.number},
                }
            ),
        },
    )


def restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    region = _region(request, slug)  # first: another region's administrator is told 403
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = get_object_or_404(RuleVersion, pk=pk, region=region)
    form = ChangeForm(request.POST)
    if form.is_valid():
        try:
            made = services.rules_restore(
                region,
                actor=request.user,  # type: ignore[arg-type]
                version=row,
                valid_from=form.cleaned_data["valid_from"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Version %(old)d restored as version %(n)d.")
                % {"old": row.number, "n": made.number},
            )
            return redirect("configuration:region", slug=region.slug)
    return render(
        request,
        "configuration/version.html",
        {
            "region": region,
            "version": row,
            "summary": selectors.summary(rules_version(row.pk).rules),
            "in_force": rules_for(region.pk).version_id == row.pk,
            "form": form,
        },
        status=400,
    )


def history(request: HttpRequest, slug: str) -> HttpResponse:
    region = _region(request, slug)
    return render(
        request,
        "configuration/history.html",
        {"region": region, "entries": selectors.region_history(region)},
    )
