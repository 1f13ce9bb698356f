from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from instroom.regions.constants import OrganisationType


class Role(models.TextChoices):
    """The roles of DOMAIN.md §2. What each may see and do is decided in `instroom.policy`."""

    COORDINATOR = "coordinator", _("Coordinator (service point)")
    APPLICANT_WORKER = "applicant_worker", _("Applicant worker (care provider)")
    SUPPORT_WORKER = "support_worker", _("Support worker (woonbegeleider)")
    TABLE_MEMBER = "table_member", _("Assessment table member")
    CORPORATION_STAFF = "corporation_staff", _("Housing corporation staff")
    WELFARE = "welfare", _("Welfare / district team")
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    # Configures the rules and data of its own region(s); never sees case content.
    ADMINISTRATOR = "administrator", _("Regional administrator")


# Which organisation types a role may be held in. A table member can come from any organisation.
ROLE_ORGANISATION_TYPES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({OrganisationType.SERVICE_POINT}),
    Role.ADMINISTRATOR: frozenset({OrganisationType.SERVICE_POINT}),
    Role.APPLICANT_WORKER: frozenset({OrganisationType.CARE_PROVIDER}),
    Role.SUPPORT_WORKER: frozenset({OrganisationType.CARE_PROVIDER}),
    Role.CORPORATION_STAFF: frozenset({OrganisationType.CORPORATION}),
    Role.WELFARE: frozenset({OrganisationType.WELFARE}),
    Role.MUNICIPALITY: frozenset({OrganisationType.MUNICIPALITY}),
    Role.POLICE: frozenset({OrganisationType.POLICE}),
    Role.TABLE_MEMBER: frozenset(OrganisationType.values),
}


def role_label(code: str) -> Promise | None:
    """A role code's translated name, e.g. as recorded with an audit event; None for a code that
    names no role."""
    return Role(code).label if code in Role.values else None
