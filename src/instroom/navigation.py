"""The main menu, grouped by the journey (intake → assessment → matching → support →
monitoring → configuration).

Which entries a user may open comes from the policy (`policy.rules.menu_for`, one flag per
entry); this module only arranges the entries it is given into groups. No role names here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    # The policy's menu flag; "" for every signed-in user, "staff" for whoever may open the
    # regional configuration site (`policy.rules.REGIONAL_ADMIN_SITE`).
    flag: str


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    namespaces: frozenset[str]  # the pages (URL namespaces) that belong to this stage
    entries: tuple[Entry, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "intake",
        _("Intake"),
        frozenset({"applications", "privacy", "takeover"}),
        (
            Entry("applications:list", _("Clients"), "clients"),
            Entry("applications:check_queue", _("Check applications"), "service_point"),
            Entry("takeover:index", _("Take over running cases"), "service_point"),
        ),
    ),
    Group(
        "assessment",
        _("Assessment"),
        frozenset({"assessment"}),
        (Entry("assessment:sessions", _("Table sessions"), "sessions"),),
    ),
    Group(
        "matching",
        _("Matching"),
        frozenset({"homes", "matching"}),
        (
            Entry("matching:list", _("Offers"), "offers"),
            Entry("homes:list", _("Homes"), "homes"),
            Entry("matching:pool", _("Pool"), "service_point"),
            Entry("matching:batch", _("Batch matching"), "service_point"),
            Entry("matching:refusals", _("Refusals"), "service_point"),
            Entry("matching:marks", _("Not together"), "marks"),
        ),
    ),
    Group(
        "support",
        _("Support"),
        frozenset({"support"}),
        (
            Entry("support:contracts", _("Contracts and support"), "contracts"),
            Entry("support:meetings", _("Meetings"), "meetings"),
            Entry("support:case_table", _("Case table"), "service_point"),
            Entry("support:timeout_places", _("Time-out places"), "meetings"),
        ),
    ),
    Group(
        "monitoring",
        _("Monitoring"),
        frozenset({"reports", "distribution", "forecast", "audit"}),
        (
            Entry("reports:index", _("Monitoring"), "monitoring"),
            Entry("distribution:index", _("Distribution"), "distribution"),
            Entry("forecast:index", _("Forecast"), "forecast"),
            Entry("audit:access_log", _("Access log"), "service_point"),
        ),
    ),
    Group(
        "configuration",
        _("Configuration"),
        frozenset({"regions", "admin", "regional_admin", "configuration"}),
        (
            Entry("configuration:index", _("Scheme rules"), "configure"),
            Entry("regions:list", _("Regions"), ""),
            Entry("regional_admin:index", _("Configuration site"), "staff"),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    current: bool


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise
    url: str  # the group's first entry: the group's landing page
    current: bool
    links: tuple[Link, ...]


def build_menu(
    flags: dict[str, bool], *, is_staff: bool, namespace: str, path: str
) -> list[NavGroup]:
    """The groups this user sees, each with only the entries the policy lets them open; a
    group without any such entry is left out. `namespace` and `path` mark the current page."""
    allowed = {**flags, "": True, "staff": is_staff}
    groups = []
    for group in GROUPS:
        links = tuple(
            Link(entry.label, url, current=url == path)
            for entry in group.entries
            if allowed.get(entry.flag, False)
            for url in (reverse(entry.url_name),)
        )
        if links:
            groups.append(
                NavGroup(
                    key=group.key,
                    label=group.label,
                    url=links[0].url,
                    current=namespace in group.namespaces,
                    links=links,
                )
            )
    return groups
