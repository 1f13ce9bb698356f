"""Store every BSN as nine ASCII digits, link the records of one person, and copy the earliest
re-application date of rejections onto the application. Safe to run again.

BSNs were stored as typed ("5321 1728", "5182.2738", full-width digits). Where two active
applications turn out to be the same person, the later one is left as typed (the database
allows one active application per BSN) and named in the output, by case number only, for the
service point to resolve (withdraw one, then run `instroom migrate applications 0005` and
`instroom migrate` again, or correct the BSN on the privacy page)."""

import sys
import unicodedata

from django.db import migrations
from django.db.models import Count
from stdnum.nl import bsn as nl_bsn

# Frozen copy of applications.constants.ACTIVE_STATES at the time of this migration.
ACTIVE_STATES = [
    "approved",
    "complete",
    "deferred",
    "draft",
    "matching",
    "contracted",
    "housed",
    "parked",
    "returned",
    "scheduled",
    "submitted",
]


def _normalised(value):
    """Nine ASCII digits passing the 11-check, or None when the stored value is no BSN."""
    if not value or len(value) > 40:
        return None
    folded = unicodedata.normalize("NFKC", value).strip()
    digits = "".join(c for c in folded if c not in " .-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        return None
    digits = digits.zfill(9)
    return digits if nl_bsn.is_valid(digits) else None


def normalise_bsns(apps, schema_editor):
    client_model = apps.get_model("applications", "Client")
    application_model = apps.get_model("applications", "Application")
    report = []
    for client in client_model.objects.exclude(bsn="").order_by("created_at", "pk").iterator():
        new = _normalised(client.bsn)
        if new is None:
            report.append(f"{client.case_number}: the stored BSN is not valid; correct it.")
            continue
        applications = list(application_model.objects.filter(client_id=client.pk))
        if new == client.bsn and all(a.bsn == new for a in applications):
            continue
        clash = (
            any(a.state in ACTIVE_STATES for a in applications)
            and application_model.objects.filter(bsn=new, state__in=ACTIVE_STATES)
            .exclude(client_id=client.pk)
            .exists()
        )
        if clash:
            report.append(
                f"{client.case_number}: another active application has the same BSN; left as "
                "typed until one of them is withdrawn."
            )
            continue
        client.bsn = new
        client.save(update_fields=["bsn"])
        application_model.objects.filter(client_id=client.pk).update(bsn=new)

    # One person, several client records in a region: each links to the one before it.
    groups = (
        client_model.objects.exclude(bsn="")
        .values("region_id", "bsn")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for group in groups:
        records = list(
            client_model.objects.filter(region_id=group["region_id"], bsn=group["bsn"]).order_by(
                "created_at", "pk"
            )
        )
        for earlier, later in zip(records, records[1:], strict=False):
            if later.previous_client_id is None:
                later.previous_client_id = earlier.pk
                later.save(update_fields=["previous_client"])
                report.append(f"{later.case_number}: linked to {earlier.case_number} (same BSN).")
    if report:
        sys.stdout.write("\n  BSN normalisation:\n" + "".join(f"  - {r}\n" for r in report))


def copy_reapplication_dates(apps, schema_editor):
    application_model = apps.get_model("applications", "Application")
    decision_model = apps.get_model("assessment", "Decision")
    for application in application_model.objects.filter(state="rejected").iterator():
        last = (
            decision_model.objects.filter(item__application_id=application.pk, outcome="reject")
            .order_by("-decided_at")
            .values_list("earliest_reapplication", flat=True)
            .first()
        )
        if last != application.earliest_reapplication:
            application.earliest_reapplication = last
            application.save(update_fields=["earliest_reapplication"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_client_link_and_reapplication_date"),
        ("assessment", "0001_tables_sessions_decisions"),
    ]

    operations = [
        migrations.RunPython(normalise_bsns, migrations.RunPython.noop),
        migrations.RunPython(copy_reapplication_dates, migrations.RunPython.noop),
    ]
