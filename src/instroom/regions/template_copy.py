"""A new region on the pattern of an existing one (`instroom region new SLUG --from OTHER`):
the other region's settings, its rules of today as version 1 and its kinds of figure. Nothing
of its people or places: no municipalities, organisations, users, quotas or cases; the new
region's administrator enters those (`next_steps`)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import FigureKind, Region, RuleVersion
from .selectors import rules_for

# Region fields that are the new region's own, not copied.
OWN_FIELDS = {"id", "slug", "name", "start_year"}


class CopyError(ValueError):
    """What to fix, in the reader's language."""


@dataclass(frozen=True)
class CopyReport:
    region: Region
    source: Region
    figure_kinds: int
    next_steps: list[str]


def region_new(*, slug: str, source_slug: str, name: str = "") -> CopyReport:
    """Make region `slug` from region `source_slug`: all or nothing. Refuses an existing slug,
    an invalid one and an unknown source."""
    slug = slug.strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise CopyError(
            _("“%(slug)s” is no valid code: use lower-case letters, digits and hyphens.")
            % {"slug": slug}
        ) from None
    source = Region.objects.filter(slug=source_slug).first()
    if source is None:
        known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True))
        raise CopyError(
            _("There is no region “%(slug)s” to copy from. Regions: %(known)s")
            % {"slug": source_slug, "known": known or "-"}
        )
    if Region.objects.filter(slug=slug).exists():
        raise CopyError(
            _("Region “%(slug)s” exists already; choose another code.") % {"slug": slug}
        )
    today = timezone.localdate()
    with transaction.atomic():
        region = Region(
            slug=slug,
            name=name.strip() or slug,
            start_year=today.year,
            **{
                f.attname: getattr(source, f.attname)
                for f in Region._meta.concrete_fields
                if f.attname not in OWN_FIELDS
            },
        )
        region.full_clean()
        region.save()
        current = rules_for(source.pk, on=today)
        RuleVersion.objects.create(
            region=region,
            number=1,
            valid_from=today,
            rules=rules.write(current.rules),
            note=(_("Copied from %(name)s") % {"name": source.name})[:400],
        )
        kinds = [
            FigureKind(region=region, slug=k.slug, name=k.name, description=k.description)
            for k in FigureKind.objects.filter(region=source).order_by("slug")
        ]
        FigureKind.objects.bulk_create(kinds)
    return CopyReport(region, source, len(kinds), next_steps(region))


def next_steps(region: Region) -> list[str]:
    """What the new region's administrator does next, in order."""
    return [
        _("Enter the municipalities with their CBS codes and figures (and sub-regions, if any)."),
        _("Enter the organisations: service point, corporations, care providers, welfare, police."),
        _("Enter the assessment tables and the municipalities each covers."),
        _("Enter the quota per year: total homes, the key's weights and the method."),
        _("Enter the passend-toewijzen limits per year."),
        _("Invite the users, starting with the coordinator at the service point."),
        _("Check the copied rules and change what differs in this region (new rules version)."),
    ]
