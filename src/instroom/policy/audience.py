"""Who is told: the people a notification or an invitation addresses, named after their part
in a case, so that the stages never pass a role name around (see `rules` for who may do what)."""

from django.db.models import QuerySet

from instroom.accounts.constants import Role
from instroom.accounts.models import User
from instroom.accounts.selectors import users_with_role


def coordinators_of(region_id: int) -> QuerySet[User]:
    """The service point of a region."""
    return users_with_role(Role.COORDINATOR, region_id=region_id)


def applicant_workers_of(care_provider_id: int) -> QuerySet[User]:
    """The care provider's workers who write applications with the client."""
    return users_with_role(Role.APPLICANT_WORKER, organisation_id=care_provider_id)


def support_workers_of(support_provider_id: int) -> QuerySet[User]:
    """The ambulant care provider's support workers (woonbegeleiders)."""
    return users_with_role(Role.SUPPORT_WORKER, organisation_id=support_provider_id)


def corporation_staff_of(corporation_id: int) -> QuerySet[User]:
    """The housing corporation's staff who offer its homes and sign its contracts."""
    return users_with_role(Role.CORPORATION_STAFF, organisation_id=corporation_id)


def welfare_workers_of(welfare_organisation_id: int) -> QuerySet[User]:
    """The welfare organisation or district team a tenancy is handed over to."""
    return users_with_role(Role.WELFARE, organisation_id=welfare_organisation_id)


def invitable_to_cases(region_id: int) -> QuerySet[User]:
    """Whom the service point may invite to one case of a table session: the police, the
    corporations and the care providers of the region."""
    return (
        User.objects.filter(
            memberships__organisation__region_id=region_id,
            memberships__active=True,
            memberships__role__in=[
                Role.POLICE,
                Role.CORPORATION_STAFF,
                Role.SUPPORT_WORKER,
                Role.APPLICANT_WORKER,
            ],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "username")
    )
