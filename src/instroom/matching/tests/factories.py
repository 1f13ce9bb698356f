"""Approved clients in the pool, made through the real services (intake → table decision)."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from instroom.applications import services as app_services
from instroom.applications.models import Application
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.assessment.models import Session, TableMember
from instroom.regions import rules as rules_module
from instroom.regions.models import Region, RuleVersion
from instroom.regions.selectors import rules_for


def make_approved(
    cast: Any, *, care_worker: Any = None, urgency: int = 0, **overrides: Any
) -> Application:
    """An application of care provider A (or the care worker's organisation) approved by the
    table, so it is in the pool."""
    care_worker = care_worker or cast.care_worker_a
    org = cast.care_a if care_worker == cast.care_worker_a else cast.care_b
    application = make_application(care_worker, org, **overrides)
    return approve(cast, application, urgency=urgency)


def approve(cast: Any, application: Application, *, urgency: int = 0) -> Application:
    """Submit, check and approve a complete draft through the services."""
    care_worker = application.created_by
    app_services.application_submit(actor=care_worker, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    table = cast.region.tables.get()
    if not TableMember.objects.filter(table=table, user=cast.table_member).exists():
        assessment_services.table_member_add(
            actor=None, table=table, user=cast.table_member, is_chair=True
        )
    # A session that meets today (or met already): the table decides on or after its day.
    session = (
        Session.objects.filter(table=table, status="planned", starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    if session is None:
        session = assessment_services.session_plan(
            actor=cast.coordinator, table=table, starts_at=timezone.now() - timedelta(minutes=1)
        )
    item = assessment_services.agenda_add(
        actor=cast.coordinator, session=session, application=application
    )
    assessment_services.decision_record(
        actor=cast.table_member,
        item=item,
        outcome="approve",
        reasoning="Klaar om zelfstandig te wonen.",
        contract_form="three_party",
        support_months=24,
        urgency=urgency,
    )
    application.refresh_from_db()
    assert application.state == "approved"
    return application


def set_matching_rules(
    region: Region, *, valid_from: date | None = None, **changes: Any
) -> RuleVersion:
    """A new rules version of the region (from today) with the match point's rules changed, as
    the regional administrator records one; e.g. `refusals_before_parking=1`."""
    current = rules_for(region.pk).rules
    matching = replace(current.matching, **changes)
    last = RuleVersion.objects.filter(region=region).aggregate(n=Max("number"))["n"] or 0
    return RuleVersion.objects.create(
        region=region,
        number=last + 1,
        valid_from=valid_from or timezone.localdate(),
        rules=rules_module.write(current.with_changes(matching=matching)),
    )
