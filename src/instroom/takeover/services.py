"""Taking over a region's running cases from its earlier scheme, all or nothing.

The journey's own services refuse back-dating (a decision, a signing or a move in the past is a
typing error in ordinary work); here the dates are the facts of the earlier scheme. So this
service makes the same objects the journey makes (client and application through
`application_create`, which validates identity, source of care and organisations; then the home,
the accepted match, the signed and housed contract, its placement and its meetings) with the
file's dates, in one transaction, and marks every case as taken over on its timeline.

A dry run does all of it and rolls back: what it reports is exactly what the import would do.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.applications import services as applications
from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.services import transition_case
from instroom.audit import services as audit
from instroom.dates import add_months
from instroom.distribution.models import Placement
from instroom.homes.constants import HomeState
from instroom.homes.models import Home
from instroom.matching.constants import MatchState
from instroom.matching.models import Match
from instroom.policy import rules
from instroom.regions.models import Region
from instroom.regions.selectors import rules_for
from instroom.support.constants import ContractState, MeetingState
from instroom.support.models import Contract, Meeting

# The support stage's own schedule rule (moment, months, support period), not a second copy.
from instroom.support.services.contracts import _meeting_plan_for as meeting_plan_for

from . import reading
from .models import TakenOverCase, TakeoverImport
from .reading import TENANCY, FileRejected, Row, RowError

__all__ = ["FileRejected", "Outcome", "RowError", "takeover_import"]

# The fields the journey's services and models report, as the file's columns.
_FIELD_COLUMNS = {
    "municipality_of_origin": "municipality_of_origin",
    "municipality": "home_municipality",
    "corporation": "corporation",
    "house_number_suffix": "house_number_suffix",
}


@dataclass
class Summary:
    pool: int = 0
    tenancies: int = 0
    meetings_held: int = 0
    meetings_planned: int = 0
    # (municipality name, year) → placements
    placements: Counter[tuple[str, int]] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pool": self.pool,
            "tenancies": self.tenancies,
            "meetings_held": self.meetings_held,
            "meetings_planned": self.meetings_planned,
            "placements": [
                {"municipality": name, "year": year, "count": count}
                for (name, year), count in sorted(self.placements.items())
            ],
        }


@dataclass
class Outcome:
    summary: Summary
    errors: list[RowError]
    imported: bool
    sha256: str

    def errors_as_dicts(self) -> list[dict[str, Any]]:
        return [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors]


class _Rollback(Exception):
    pass


def _column(field_name: str) -> str:
    name = _FIELD_COLUMNS.get(field_name, field_name)
    column = reading.BY_FIELD.get(name)
    return column.header if column is not None else ""


def _errors_of(row: Row, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(row.number, _column(name), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(row.number, "", message) for message in exc.messages]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _note(row: Row) -> str:
    return _("Taken over from the earlier scheme (reference %(reference)s)") % {
        "reference": row.values["reference"]
    }


def _reference_errors(rows: list[Row], region: Region) -> list[RowError]:
    header = reading.BY_FIELD["reference"].header
    existing = set(
        TakenOverCase.objects.filter(
            region=region, reference__in=[r.values.get("reference", "") for r in rows]
        ).values_list("reference", flat=True)
    )
    seen: dict[str, int] = {}
    errors = []
    for row in rows:
        reference = row.values.get("reference")
        if not reference:
            continue
        if reference in existing:
            errors.append(
                RowError(
                    row.number,
                    header,
                    _("The case %(reference)s was already taken over; leave this row out.")
                    % {"reference": reference},
                )
            )
        elif reference in seen:
            errors.append(
                RowError(
                    row.number,
                    header,
                    _("The reference %(reference)s is also on row %(row)d; each case once.")
                    % {"reference": reference, "row": seen[reference]},
                )
            )
        else:
            seen[reference] = row.number
    return errors


def _check_tenancy_dates(row: Row, region: Region) -> None:
    v = row.values
    errors: dict[str, str] = {}
    signed, moved = v["signed_on"], v["moved_in_on"]
    if signed.year < region.start_year:
        errors["signed_on"] = _("The scheme starts in %(year)d.") % {"year": region.start_year}
    ends = add_months(moved, region.support_months)
    if moved < signed:
        errors["moved_in_on"] = _("The move is on or after the signing.")
    elif ends <= timezone.localdate():
        errors["moved_in_on"] = _(
            "The support period ended on %(date)s: only running cases are taken over."
        ) % {"date": ends.isoformat()}
    approved = v.get("approved_on")
    if approved is not None and approved > signed:
        errors["approved_on"] = _("The approval comes before the signing of the contract.")
    held = v.get("meetings_held", [])
    if held and held[0] < moved:
        errors["meetings_held"] = _(
            "The meeting of %(date)s is before the move: support meetings follow the move."
        ) % {"date": held[0].isoformat()}
    if errors:
        raise ValidationError(errors)


def _walk(application: Application, steps: tuple[str, ...], *, actor: User | None) -> None:
    """The case through the journey's own state table, step by step (each step in the log)."""
    for to in steps:
        transition_case(application, actor=actor, to=to, action="takeover.step")


def _approve(
    application: Application, *, actor: User | None, on: date, support_months: int
) -> None:
    """In the pool from `on`: the waiting time counts from the day of the earlier approval."""
    _walk(application, (CaseState.SUBMITTED, CaseState.COMPLETE, CaseState.APPROVED), actor=actor)
    at = _moment(on)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=at,
        completed_at=at,
        decided_at=at,
        state_changed_at=at,
        expected_support_months=support_months,
    )


def _house(
    row: Row, application: Application, *, actor: User | None, region: Region, summary: Summary
) -> None:
    v = row.values
    client = application.client
    signed, moved = v["signed_on"], v["moved_in_on"]
    region_rules = rules_for(region.pk)
    form = v.get("contract_form") or region_rules.rules.contract_form[0].code
    municipality = v.get("home_municipality") or v["municipality_of_origin"]
    home = Home(
        region=region,
        corporation=v["corporation"],
        reference=str(v["reference"])[:40],
        street=v["street"],
        house_number=v["house_number"],
        house_number_suffix=v.get("house_number_suffix", ""),
        postcode=v["postcode"],
        municipality=municipality,
        home_type=v.get("home_type", "apartment"),
        rooms=v.get("rooms", 1),
        rent_eur=v["rent_eur"],
        available_from=signed,
        state=HomeState.LET,
        created_by=actor,
        created_at=_moment(signed),
    )
    home.full_clean(exclude=["created_by"])
    home.save()
    match = Match.objects.create(
        home=home,
        application=application,
        client=client,
        region=region,
        state=MatchState.ACCEPTED,
        proposed_by=actor,
        proposed_at=_moment(signed),
        state_changed_at=_moment(signed),
        step_deadline=signed,
    )
    placement = Placement.objects.create(
        region=region,
        municipality=municipality,
        corporation=v["corporation"],
        placed_on=signed,
        reference=_("Contract %(case)s") % {"case": client.case_number},
        client=client,
        recorded_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="placement.record",
        obj=placement,
        client=client,
        changes={
            "municipality": municipality.cbs_code,
            "corporation": v["corporation"].slug,
            "placed_on": signed.isoformat(),
        },
    )
    contract = Contract.objects.create(
        match=match,
        application=application,
        client=client,
        home=home,
        region=region,
        form=form,
        rule_version_id=region_rules.version_id,
        state=ContractState.HOUSED,
        state_changed_at=_moment(moved),
        support_months=region.support_months,
        prepared_by=actor,
        prepared_at=_moment(signed),
        signed_on=signed,
        key_handover_on=signed,
        planned_move_in_on=moved,
        moved_in_on=moved,
        support_ends_on=add_months(moved, region.support_months),
        placement=placement,
    )
    planned = meeting_plan_for(contract, moved)
    held = v.get("meetings_held", [])
    if len(held) > len(planned):
        raise ValidationError(
            {
                "meetings_held": _(
                    "%(held)d meetings held, but the region's schedule has %(planned)d in the "
                    "support period."
                )
                % {"held": len(held), "planned": len(planned)}
            }
        )
    # The meetings held took the first places of the schedule, in order of their dates: they
    # are made as held (on those dates), the rest as due.
    meetings = [
        Meeting(
            contract=contract,
            kind=m.kind,
            moment=m.moment,
            months=m.months,
            due_on=m.due_on,
            state=MeetingState.HELD,
            held_on=held[i],
            recorded_by=actor,
            notes=_note(row),
        )
        if i < len(held)
        else m
        for i, m in enumerate(planned)
    ]
    Meeting.objects.bulk_create(meetings)
    _walk(application, (CaseState.MATCHING, CaseState.CONTRACTED, CaseState.HOUSED), actor=actor)
    Application.objects.filter(pk=application.pk).update(state_changed_at=_moment(moved))
    summary.tenancies += 1
    summary.meetings_held += len(held)
    summary.meetings_planned += len(meetings) - len(held)
    summary.placements[(municipality.name, signed.year)] += 1


def _take_over(
    row: Row, *, actor: User | None, region: Region, record: TakeoverImport, summary: Summary
) -> None:
    v = row.values
    if row.kind == TENANCY:
        _check_tenancy_dates(row, region)
    care_provider = v["care_provider"]
    application = applications.application_create(
        actor=None,  # the takeover's own policy question is asked once for the whole file
        care_provider=care_provider,
        support_provider=v.get("support_provider") or care_provider,
        municipality_of_origin=v["municipality_of_origin"],
        first_name=v["first_name"],
        last_name=v["last_name"],
        bsn=v["bsn"],
        date_of_birth=v["date_of_birth"],
        source=v["source"],
    )
    approved_on: date = v.get("approved_on") or v["signed_on"]  # a pool row requires it
    _approve(application, actor=actor, on=approved_on, support_months=region.support_months)
    if row.kind == TENANCY:
        _house(row, application, actor=actor, region=region, summary=summary)
    else:
        summary.pool += 1
    TakenOverCase.objects.create(
        takeover=record,
        region=region,
        reference=v["reference"],
        kind=row.kind,
        client=application.client,
    )
    audit.record_change(
        actor=actor,
        action="takeover.case",
        obj=application,
        client=application.client,
        changes={"reference": v["reference"], "kind": row.kind, "import": record.pk},
        note=_note(row),
    )


def takeover_import(
    *,
    actor: User | None,
    region: Region,
    file_name: str,
    content: bytes,
    dry_run: bool = True,
) -> Outcome:
    """Check (and unless `dry_run`, import) a file of running cases into `region`: every row or
    none. `actor` None is the platform operator on the command line. Raises FileRejected for a
    file that cannot be read at all, PermissionDenied for anyone but the region's service
    point."""
    if actor is not None and not rules.may_take_over_cases(actor, region.pk):
        raise PermissionDenied(_("Only the region's service point takes over running cases."))
    sha256 = hashlib.sha256(content).hexdigest()
    rows, errors = reading.parse_rows(content, region)
    errors.extend(_reference_errors(rows, region))
    bad_rows = {e.row for e in errors}
    summary = Summary()
    imported = False
    try:
        with transaction.atomic():
            record = TakeoverImport.objects.create(
                region=region, file_name=file_name[:200], file_sha256=sha256, imported_by=actor
            )
            for row in rows:
                if row.number in bad_rows:
                    continue
                try:
                    with transaction.atomic():
                        _take_over(row, actor=actor, region=region, record=record, summary=summary)
                except ValidationError as exc:
                    errors.extend(_errors_of(row, exc))
                except IntegrityError:  # the same reference taken over at this very moment
                    errors.append(
                        RowError(
                            row.number,
                            reading.BY_FIELD["reference"].header,
                            _("This reference was already taken over."),
                        )
                    )
            if errors or dry_run:
                raise _Rollback
            record.summary = summary.as_dict()
            record.save(update_fields=["summary"])
            audit.record_change(
                actor=actor,
                action="takeover.import",
                obj=record,
                region_id=region.pk,
                changes={"file": file_name[:200], "sha256": sha256, **record.summary},
            )
            imported = True
    except _Rollback:
        pass
    errors.sort(key=lambda e: (e.row, e.column))
    return Outcome(summary=summary, errors=errors, imported=imported, sha256=sha256)
